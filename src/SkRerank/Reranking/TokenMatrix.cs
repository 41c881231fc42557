using System.Numerics.Tensors;
using SkRerank.Embeddings;

namespace SkRerank.Reranking;

/// <summary>
/// A <see cref="TokenEmbedding"/> widened to single precision for scoring: converting half-precision vectors on every
/// query cost more than the MaxSim products themselves.
/// </summary>
internal sealed class TokenMatrix
{
    private TokenMatrix(int[] ids, float[] vectors, int dimensions)
    {
        Ids = ids;
        Vectors = vectors;
        Dimensions = dimensions;
    }

    public int[] Ids { get; }

    /// <summary>Row-major token vectors.</summary>
    public float[] Vectors { get; }

    public int Dimensions { get; }

    public int TokenCount => Ids.Length;

    public static TokenMatrix From(TokenEmbedding embedding)
    {
        var vectors = new float[embedding.Vectors.Length];
        TensorPrimitives.ConvertToSingle(embedding.Vectors.Span, vectors);
        return new TokenMatrix(embedding.TokenIds.ToArray(), vectors, embedding.Dimensions);
    }

    /// <summary>This matrix without the tokens <paramref name="drop"/> picks (itself when none or all would go).</summary>
    public TokenMatrix Without(Func<int, bool> drop)
    {
        var kept = new List<int>(Ids.Length);
        for (var t = 0; t < Ids.Length; t++)
        {
            if (!drop(Ids[t])) kept.Add(t);
        }
        if (kept.Count == Ids.Length || kept.Count == 0) return this;
        var ids = new int[kept.Count];
        var vectors = new float[kept.Count * Dimensions];
        for (var k = 0; k < kept.Count; k++)
        {
            ids[k] = Ids[kept[k]];
            Vectors.AsSpan(kept[k] * Dimensions, Dimensions).CopyTo(vectors.AsSpan(k * Dimensions, Dimensions));
        }
        return new TokenMatrix(ids, vectors, Dimensions);
    }

    public TokenEmbedding ToEmbedding(string? modelId)
    {
        var vectors = new Half[Vectors.Length];
        TensorPrimitives.ConvertToHalf(Vectors, vectors);
        return new TokenEmbedding(Ids, vectors, Dimensions) { ModelId = modelId };
    }
}
