using SkRerank.Lexical;

namespace SkRerank.Reranking;

/// <summary>
/// BM25 score of each document for the query, with corpus statistics (document frequencies, average length) from
/// every document the signal has seen: warm it up with the whole collection so rare words like "Joker" weigh more
/// than common ones like "movie". Documents it has not seen are added on first use.
/// </summary>
public sealed class LexicalSignal : IRelevanceSignal, IDisposable
{
    private readonly Bm25Index<string> _index;

    /// <summary>Creates the signal with its own BM25 index (English analyzer: stop words, stemming).</summary>
    public LexicalSignal(Bm25Options? options = null) => _index = new Bm25Index<string>(options, keyComparer: StringComparer.Ordinal);

    /// <inheritdoc />
    public string Name => "bm25";

    /// <inheritdoc />
    public Task<double[]> ScoreAsync(string query, IReadOnlyList<string> documents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        cancellationToken.ThrowIfCancellationRequested();
        foreach (var document in documents)
        {
            if (!_index.Contains(document)) _index.AddOrUpdate(document, document);
        }
        var matches = _index.Score(query, documents);
        return Task.FromResult(matches.Select(m => m.Score).ToArray());
    }

    /// <inheritdoc />
    public Task WarmUpAsync(IReadOnlyList<string> documents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        foreach (var document in documents)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _index.AddOrUpdate(document, document);
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose() => _index.Dispose();
}
