using System.Runtime.CompilerServices;
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

    /// <summary>Widens <paramref name="embedding"/>, leaving out the tokens <paramref name="drop"/> picks (unless it would drop all).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static TokenMatrix From(TokenEmbedding embedding, Func<int, bool>? drop = null)
    {
        var dimensions = embedding.Dimensions;
        var ids = embedding.TokenIds;
        var kept = new List<int>(ids.Count);
        for (var t = 0; t < ids.Count; t++)
        {
            if (drop is null || !drop(ids[t])) kept.Add(t);
        }
        if (kept.Count == 0) kept.AddRange(Enumerable.Range(0, ids.Count));
        var keptIds = new int[kept.Count];
        var vectors = new float[kept.Count * dimensions];
        var source = embedding.Vectors.Span;
        // A plain loop, fully optimized from the first call: a start-up converts ~25 million values once.
        for (var k = 0; k < kept.Count; k++)
        {
            keptIds[k] = ids[kept[k]];
            var from = source.Slice(kept[k] * dimensions, dimensions);
            var to = vectors.AsSpan(k * dimensions, dimensions);
            for (var d = 0; d < dimensions; d++) to[d] = (float)from[d];
        }
        return new TokenMatrix(keptIds, vectors, dimensions);
    }
}
