using Lucene.Net.Analysis;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Util;

namespace SkRerank.Lexical;

/// <summary>
/// Turns text into index terms with a Lucene <see cref="Analyzer"/>. The default, <see cref="English"/>, is Lucene's
/// <see cref="EnglishAnalyzer"/>: standard tokenization, possessive removal ("Nolan's" → "nolan"), lowercasing,
/// English stop words and Porter stemming ("running" → "run"). Instances are thread-safe: Lucene analyzers keep
/// their token-stream state per thread.
/// </summary>
internal sealed class TextAnalyzer : IDisposable
{
    private const string FieldName = "text";

    private readonly Analyzer _analyzer;
    private readonly bool _disposeAnalyzer;

    /// <summary>Wraps a Lucene analyzer.</summary>
    /// <param name="analyzer">The analyzer that tokenizes and normalizes text.</param>
    /// <param name="disposeAnalyzer">Whether <see cref="Dispose"/> disposes <paramref name="analyzer"/>.</param>
    public TextAnalyzer(Analyzer analyzer, bool disposeAnalyzer = false)
    {
        ArgumentNullException.ThrowIfNull(analyzer);
        _analyzer = analyzer;
        _disposeAnalyzer = disposeAnalyzer;
    }

    /// <summary>
    /// The shared English analyzer. It lives for the whole process (disposing it does nothing), so indexes can share
    /// it without agreeing on an owner.
    /// </summary>
    public static TextAnalyzer English { get; } = new(new EnglishAnalyzer(LuceneVersion.LUCENE_48), disposeAnalyzer: false);

    /// <summary>Returns the terms of <paramref name="text"/> in order, duplicates kept; empty for null or blank text.</summary>
    public IReadOnlyList<string> Analyze(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return [];
        var terms = new List<string>();
        using var stream = _analyzer.GetTokenStream(FieldName, new StringReader(text));
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken()) terms.Add(term.ToString());
        stream.End();
        return terms;
    }

    /// <summary>Disposes the wrapped analyzer if this instance owns it.</summary>
    public void Dispose()
    {
        if (_disposeAnalyzer) _analyzer.Dispose();
    }
}
