namespace SkRerank.Together;

/// <summary>How <see cref="TogetherReranker.RerankMoviesAsync"/> sends movies to <c>/rerank</c>.</summary>
public enum TogetherRerankDocuments
{
    /// <summary>
    /// Objects with <c>rank_fields</c> for Llama-Rank (the only Together rerank model that takes them), plain strings for
    /// every other model (the default).
    /// </summary>
    Auto,

    /// <summary>Each movie as one string (title, overview, tagline on separate lines). Every rerank endpoint accepts this.</summary>
    Text,

    /// <summary>Each movie as a JSON object of named fields, with <c>rank_fields</c> naming those to rank by (Together and Cohere v1 accept this).</summary>
    Objects,
}
