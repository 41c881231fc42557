using SkRerank.Movies;

namespace SkRerank.Search;

/// <summary>A returned result.</summary>
/// <param name="Movie">The movie record.</param>
/// <param name="RelevanceScore">The reranker's score; equals <paramref name="VectorScore"/> when not reranked.</param>
/// <param name="VectorScore">The first-stage score.</param>
/// <param name="Rank">1-based final rank.</param>
/// <param name="CandidateRank">1-based first-stage rank, to see what the reranker moved.</param>
public sealed record SearchResult(Movie Movie, double RelevanceScore, double VectorScore, int Rank, int CandidateRank);
