using SkRerank.Search;

namespace SkRerank.Reranking;

/// <summary>The <see cref="QueryExclusionReranker"/> as a <see cref="RerankerBuilder"/> step.</summary>
public static class QueryExclusionRerankerBuilderExtensions
{
    /// <summary>Adds a <see cref="QueryExclusionReranker"/>: the rerankers after it see the wanted part of each query.</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static RerankerBuilder UseQueryExclusion(this RerankerBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(inner => new QueryExclusionReranker(inner));
    }
}
