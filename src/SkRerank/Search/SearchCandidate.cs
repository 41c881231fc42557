using SkRerank.Movies;

namespace SkRerank.Search;

/// <summary>A first-stage candidate.</summary>
/// <param name="Movie">The movie record.</param>
/// <param name="VectorScore">The first-stage score (cosine similarity, or a fused score for hybrid search).</param>
/// <param name="Rank">1-based first-stage rank.</param>
public sealed record SearchCandidate(Movie Movie, double VectorScore, int Rank);
