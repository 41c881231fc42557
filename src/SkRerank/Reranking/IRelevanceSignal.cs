namespace SkRerank.Reranking;

/// <summary>
/// One kind of evidence that a document answers a query (a second embedding model, a lexical match, …), scored
/// for a whole candidate list at once. <see cref="SignalFusionReranker"/> fuses several.
/// </summary>
public interface IRelevanceSignal
{
    /// <summary>A short name for logs and evaluation tables, e.g. "minilm-cosine" or "bm25".</summary>
    string Name { get; }

    /// <summary>Scores each document; higher is more relevant. Scales need not match other signals'.</summary>
    Task<double[]> ScoreAsync(string query, IReadOnlyList<string> documents, CancellationToken cancellationToken = default);

    /// <summary>
    /// Precomputes what the signal needs for these documents (e.g. their embeddings), so later queries only pay for
    /// the query. Called by indexing; optional.
    /// </summary>
    Task WarmUpAsync(IReadOnlyList<string> documents, CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>
    /// <see cref="WarmUpAsync(IReadOnlyList{string}, CancellationToken)"/>, reporting how many documents are done so
    /// far (a warm-up that embeds every document takes tens of seconds on a CPU). By default reports once, at the end.
    /// </summary>
    async Task WarmUpAsync(IReadOnlyList<string> documents, IProgress<int>? documentsDone, CancellationToken cancellationToken = default)
    {
        await WarmUpAsync(documents, cancellationToken).ConfigureAwait(false);
        documentsDone?.Report(documents.Count);
    }

    /// <summary>
    /// Does the query-side work of <see cref="ScoreAsync"/> ahead of time (e.g. embeds the query into a cache), so that
    /// it can overlap the first stage. Optional; a later <see cref="ScoreAsync"/> must give the same scores either way.
    /// </summary>
    Task PrepareQueryAsync(string query, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
