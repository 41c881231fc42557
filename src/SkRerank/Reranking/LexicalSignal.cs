using SkRerank.Lexical;

namespace SkRerank.Reranking;

/// <summary>
/// BM25 score of each document for the query, with corpus statistics (document frequencies, average length) from
/// every document the signal has seen: warm it up with the whole collection so rare words like "Joker" weigh more
/// than common ones like "movie". Documents it has not seen are scored against those statistics without being added,
/// so a query's scores never depend on earlier queries and the corpus does not grow while serving. Without a warm-up,
/// each call's documents are their own corpus.
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
        if (_index.Count == 0)
        {
            using var own = new Bm25Index<string>(_index.Options, keyComparer: StringComparer.Ordinal);
            foreach (var document in documents) own.AddOrUpdate(document, document);
            return Task.FromResult(own.Score(query, documents).Select(m => m.Score).ToArray());
        }

        var scores = new double[documents.Count];
        var matches = _index.Score(query, documents);
        for (var i = 0; i < scores.Length; i++)
            scores[i] = _index.Contains(documents[i]) ? matches[i].Score : _index.ScoreText(query, documents[i]);
        return Task.FromResult(scores);
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
