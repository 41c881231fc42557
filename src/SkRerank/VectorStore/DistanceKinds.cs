using System.Numerics.Tensors;
using Microsoft.Extensions.VectorData;

namespace SkRerank.VectorStore;

/// <summary>Parsing, ordering and scoring of <see cref="DistanceKind"/>.</summary>
internal static class DistanceKinds
{
    /// <summary>The distance function names the store accepts, for error messages.</summary>
    public const string Supported =
        "CosineSimilarity (default), CosineDistance, DotProductSimilarity, NegativeDotProductSimilarity, " +
        "EuclideanDistance, EuclideanSquaredDistance, ManhattanDistance, HammingDistance";

    /// <summary>Maps a <see cref="DistanceFunction"/> name; null or empty means cosine similarity, as in SK's connectors.</summary>
    public static DistanceKind Parse(string? name, string propertyName) => name switch
    {
        null or "" or DistanceFunction.CosineSimilarity => DistanceKind.CosineSimilarity,
        DistanceFunction.CosineDistance => DistanceKind.CosineDistance,
        DistanceFunction.DotProductSimilarity => DistanceKind.DotProductSimilarity,
        DistanceFunction.NegativeDotProductSimilarity => DistanceKind.NegativeDotProductSimilarity,
        DistanceFunction.EuclideanDistance => DistanceKind.EuclideanDistance,
        DistanceFunction.EuclideanSquaredDistance => DistanceKind.EuclideanSquaredDistance,
        DistanceFunction.ManhattanDistance => DistanceKind.ManhattanDistance,
        DistanceFunction.HammingDistance => DistanceKind.HammingDistance,
        _ => throw new NotSupportedException(
            $"Distance function '{name}' of vector property '{propertyName}' is not supported by the in-memory vector store. Supported: {Supported}."),
    };

    /// <summary>Similarities rank higher scores first; distances (and the negated dot product) lower scores first.</summary>
    public static bool HigherIsBetter(this DistanceKind kind) =>
        kind is DistanceKind.CosineSimilarity or DistanceKind.DotProductSimilarity;

    /// <summary>A similarity threshold keeps scores at or above it; a distance threshold keeps scores at or below it.</summary>
    public static bool PassesThreshold(this DistanceKind kind, double score, double threshold) =>
        kind.HigherIsBetter() ? score >= threshold : score <= threshold;

    /// <summary>
    /// Returns the query as the scan wants it: for cosine, divided by its norm, so that scoring a stored row is a dot
    /// product times the row's precomputed inverse norm. A zero query stays zero and scores 0 everywhere (cosine is
    /// undefined there; 0 keeps NaN out of the ranking).
    /// </summary>
    public static float[] PrepareQuery(this DistanceKind kind, ReadOnlySpan<float> query)
    {
        var prepared = query.ToArray();
        if (kind is DistanceKind.CosineSimilarity or DistanceKind.CosineDistance)
        {
            var norm = TensorPrimitives.Norm(query);
            if (norm > 0) TensorPrimitives.Divide(prepared, norm, prepared);
        }
        return prepared;
    }

    /// <summary>Scores one stored vector against a query from <see cref="PrepareQuery"/>.</summary>
    /// <param name="kind">The distance function.</param>
    /// <param name="query">The prepared query.</param>
    /// <param name="stored">The stored vector, as upserted.</param>
    /// <param name="inverseNorm">1 / |stored|, or 0 for a zero vector.</param>
    /// <param name="scratch">A buffer of the vector's length, for functions that need a difference vector.</param>
    public static float Score(this DistanceKind kind, ReadOnlySpan<float> query, ReadOnlySpan<float> stored, float inverseNorm, Span<float> scratch)
    {
        switch (kind)
        {
            case DistanceKind.CosineSimilarity:
                return TensorPrimitives.Dot(query, stored) * inverseNorm;
            case DistanceKind.CosineDistance:
                return 1f - TensorPrimitives.Dot(query, stored) * inverseNorm;
            case DistanceKind.DotProductSimilarity:
                return TensorPrimitives.Dot(query, stored);
            case DistanceKind.NegativeDotProductSimilarity:
                return -TensorPrimitives.Dot(query, stored);
            case DistanceKind.EuclideanDistance:
                return TensorPrimitives.Distance(query, stored);
            case DistanceKind.EuclideanSquaredDistance:
                TensorPrimitives.Subtract(query, stored, scratch);
                return TensorPrimitives.SumOfSquares(scratch);
            case DistanceKind.ManhattanDistance:
                TensorPrimitives.Subtract(query, stored, scratch);
                return TensorPrimitives.SumOfMagnitudes(scratch);
            case DistanceKind.HammingDistance:
                // Counts differing components; meaningful for binary (0/1) or otherwise discrete vectors.
                return TensorPrimitives.HammingDistance(query, stored);
            default:
                throw new NotSupportedException($"Distance kind {kind} has no scorer.");
        }
    }
}
