namespace SkRerank.Reranking;

/// <summary>
/// A signal that can score again with pseudo-relevance feedback: the query moved toward the documents the first
/// fusion ranked best (Rocchio), so that what those documents share — the subject the query only hinted at — counts.
/// <see cref="SignalFusionReranker"/> uses it when <see cref="SignalFusionRerankerOptions.FeedbackDocuments"/> is set.
/// </summary>
public interface IFeedbackRelevanceSignal : IRelevanceSignal
{
    /// <summary>Scores each document against the query moved toward <paramref name="feedback"/>.</summary>
    /// <param name="query">The query.</param>
    /// <param name="documents">The documents to score.</param>
    /// <param name="feedback">Indexes (into <paramref name="documents"/>) of the documents taken as relevant.</param>
    /// <param name="weight">How far to move: the feedback centroid's weight against the query's 1.</param>
    /// <param name="cancellationToken">Cancels the scoring.</param>
    Task<double[]> ScoreWithFeedbackAsync(
        string query, IReadOnlyList<string> documents, IReadOnlyList<int> feedback, double weight, CancellationToken cancellationToken = default);
}
