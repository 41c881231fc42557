using Microsoft.Extensions.VectorData;

namespace SkRerank.VectorStore;

/// <summary>The distance functions of <see cref="DistanceFunction"/> that the in-memory store computes.</summary>
internal enum DistanceKind
{
    CosineSimilarity,
    CosineDistance,
    DotProductSimilarity,
    NegativeDotProductSimilarity,
    EuclideanDistance,
    EuclideanSquaredDistance,
    ManhattanDistance,
    HammingDistance,
}
