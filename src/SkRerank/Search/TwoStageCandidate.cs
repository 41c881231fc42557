namespace SkRerank.Search;

/// <summary>A first-stage candidate of a <see cref="TwoStageSearch{TKey, TRecord}"/>.</summary>
/// <param name="Record">The record.</param>
/// <param name="VectorScore">The first-stage score (similarity, or a fused score for hybrid search).</param>
/// <param name="Rank">1-based first-stage rank.</param>
public sealed record TwoStageCandidate<TRecord>(TRecord Record, double VectorScore, int Rank);
