namespace SkRerank.Search;

/// <summary>A result of a <see cref="TwoStageSearch{TKey, TRecord}"/>.</summary>
/// <param name="Record">The record.</param>
/// <param name="RelevanceScore">The reranker's score; equals <paramref name="VectorScore"/> when not reranked.</param>
/// <param name="VectorScore">The first-stage score.</param>
/// <param name="Rank">1-based final rank.</param>
/// <param name="CandidateRank">1-based first-stage rank, to see what the reranker moved.</param>
public sealed record TwoStageResult<TRecord>(TRecord Record, double RelevanceScore, double VectorScore, int Rank, int CandidateRank);
