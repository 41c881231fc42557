using Microsoft.Extensions.AI;

namespace SkRerank.VectorStore;

/// <summary>A vector property of the record model.</summary>
/// <param name="Name">The property name.</param>
/// <param name="Type">The declared type: ReadOnlyMemory&lt;float&gt;(?), float[] or Embedding&lt;float&gt;.</param>
/// <param name="Dimensions">The vector length every stored and query vector must have.</param>
/// <param name="Distance">The distance function.</param>
/// <param name="EmbeddingGenerator">Embeds non-vector search values; resolved property → definition → options.</param>
/// <param name="Read">Reads the vector from a record; null when the record has none.</param>
/// <param name="Write">Writes a vector (or null) into a record, converting to <paramref name="Type"/>.</param>
internal sealed record VectorField<TRecord>(
    string Name,
    Type Type,
    int Dimensions,
    DistanceKind Distance,
    IEmbeddingGenerator? EmbeddingGenerator,
    Func<TRecord, ReadOnlyMemory<float>?> Read,
    Action<TRecord, float[]?> Write);
