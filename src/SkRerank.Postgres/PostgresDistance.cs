using Microsoft.Extensions.VectorData;

namespace SkRerank.Postgres;

/// <summary>
/// A distance function as pgvector computes it: the operator that orders by it (and that the HNSW index serves), the
/// index's operator class, and how the operator's value becomes the score callers see.
/// </summary>
/// <param name="Name">The <see cref="DistanceFunction"/> name.</param>
/// <param name="Operator">The pgvector operator; ascending order is nearest first.</param>
/// <param name="OperatorClass">The HNSW operator class that serves <paramref name="Operator"/>.</param>
/// <param name="ScoreSql">SQL turning the operator's value (<c>{0}</c>) into the score.</param>
/// <param name="HigherIsBetter">Whether higher scores are better (similarities) or lower ones (distances).</param>
internal sealed record PostgresDistance(string Name, string Operator, string OperatorClass, string ScoreSql, bool HigherIsBetter)
{
    /// <summary>The distance functions supported, for error messages.</summary>
    public const string Supported = "CosineSimilarity (default), CosineDistance, DotProductSimilarity, NegativeDotProductSimilarity, EuclideanDistance, ManhattanDistance";

    /// <summary>Maps a <see cref="DistanceFunction"/> name; null or empty means cosine similarity, as in SK's connectors.</summary>
    public static PostgresDistance Parse(string? name, string propertyName) => name switch
    {
        null or "" or DistanceFunction.CosineSimilarity => new(DistanceFunction.CosineSimilarity, "<=>", "vector_cosine_ops", "1 - ({0})", true),
        DistanceFunction.CosineDistance => new(DistanceFunction.CosineDistance, "<=>", "vector_cosine_ops", "{0}", false),
        // pgvector's <#> is the negative inner product.
        DistanceFunction.DotProductSimilarity => new(DistanceFunction.DotProductSimilarity, "<#>", "vector_ip_ops", "-({0})", true),
        DistanceFunction.NegativeDotProductSimilarity => new(DistanceFunction.NegativeDotProductSimilarity, "<#>", "vector_ip_ops", "{0}", false),
        DistanceFunction.EuclideanDistance => new(DistanceFunction.EuclideanDistance, "<->", "vector_l2_ops", "{0}", false),
        DistanceFunction.ManhattanDistance => new(DistanceFunction.ManhattanDistance, "<+>", "vector_l1_ops", "{0}", false),
        _ => throw new NotSupportedException(
            $"Distance function '{name}' of vector property '{propertyName}' is not supported by the PostgreSQL collection. Supported: {Supported}."),
    };
}
