using Lucene.Net.Analysis.En;
using SkRerank.Movies;

namespace SkRerank.Search;

/// <summary>
/// How much of a query the English models and BM25 can read: the share of the query's content words (words that are
/// not English stop words) that the models know as whole words (their WordPiece vocabulary) or that occur in the
/// movies' texts. A Spanish query, emoji or stop words alone score near 0 and get arbitrary results; this lets a caller
/// say so. No per-language word lists: a word neither the vocabulary nor the catalogue has counts as unreadable,
/// whatever its language.
/// </summary>
public static class QueryReadability
{
    /// <summary>Below this share of readable content words a query is flagged.</summary>
    public const double Threshold = 0.5;

    /// <summary>Measures <paramref name="query"/> against <paramref name="catalog"/>'s vocabulary.</summary>
    /// <returns>The share of readable content words (0 when the query has none), and how many content words there are.</returns>
    /// <param name="query">The query.</param>
    /// <param name="catalog">The indexed movies; their words count as readable.</param>
    /// <param name="modelWords">Whole words the models know (lower-case, without accents for uncased models), e.g. <c>OnnxEmbeddingModel.ReadWholeWords()</c>.</param>
    public static (double ReadableShare, int ContentWords) Measure(string query, MovieCatalog catalog, IReadOnlySet<string>? modelWords = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(catalog);
        var vocabulary = catalog.Vocabulary;
        var content = Words(query).Where(w => !EnglishAnalyzer.DefaultStopSet.Contains(w)).ToList();
        if (content.Count == 0) return (0, 0);
        bool Readable(string word) => vocabulary.Contains(word) || (modelWords is not null && modelWords.Contains(Movies.DirectorName.Fold(word)));
        return ((double)content.Count(Readable) / content.Count, content.Count);
    }

    /// <summary>
    /// A one-line notice when the query has little the models can read, else <see langword="null"/>. Skipped for an
    /// empty catalogue (a user-supplied collection), where there is nothing to measure against.
    /// </summary>
    public static string? Notice(string query, MovieCatalog catalog, IReadOnlySet<string>? modelWords = null)
    {
        if (catalog.Count == 0) return null;
        var (share, contentWords) = Measure(query, catalog, modelWords);
        if (contentWords > 0 && share >= Threshold) return null;
        return contentWords == 0
            ? "notice: the query has no words the English models can read (only stop words, symbols or emoji); the results are close to arbitrary. Describe the movie in English words."
            : $"notice: only {share:P0} of the query's words are English words the models know; the offline models read English, so the results may be arbitrary. Rephrase in English.";
    }

    /// <summary>Lower-cased runs of letters and digits (apostrophes inside a word kept: "don't").</summary>
    internal static IEnumerable<string> Words(string text)
    {
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && (char.IsLetterOrDigit(text[i]) || (text[i] == '\'' && start >= 0));
            if (inWord && start < 0) start = i;
            else if (!inWord && start >= 0)
            {
                yield return text[start..i].Trim('\'').ToLowerInvariant();
                start = -1;
            }
        }
    }
}
