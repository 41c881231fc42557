using System.Text.Json.Serialization;

namespace SkRerank.Plugin;

/// <summary>One movie as returned to an agent by <c>search_movies</c>.</summary>
public sealed record MovieSearchHit
{
    /// <summary>The movie's id (its index in the dataset).</summary>
    [JsonPropertyName("id")] public required int Id { get; init; }
    /// <summary>Title.</summary>
    [JsonPropertyName("title")] public required string Title { get; init; }
    /// <summary>Director.</summary>
    [JsonPropertyName("director")] public required string Director { get; init; }
    /// <summary>Genres.</summary>
    [JsonPropertyName("genres")] public required IReadOnlyList<string> Genres { get; init; }
    /// <summary>Tagline, if any.</summary>
    [JsonPropertyName("tagline")] public string? Tagline { get; init; }
    /// <summary>Plot overview.</summary>
    [JsonPropertyName("overview")] public required string Overview { get; init; }
    /// <summary>The reranker's relevance score (the vector score when not reranked).</summary>
    [JsonPropertyName("relevance_score")] public required double RelevanceScore { get; init; }
    /// <summary>The first-stage (vector search) score.</summary>
    [JsonPropertyName("vector_score")] public required double VectorScore { get; init; }
    /// <summary>Whether a reranker ordered this result; false means first-stage order (reranker skipped or failed).</summary>
    [JsonPropertyName("reranked")] public required bool Reranked { get; init; }
}
