using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SkRerank.Reranking;

/// <summary>
/// The inner loop of late interaction: for every query token, its best dot product with any document token. Written
/// with <see cref="Vector{T}"/> and compiled fully optimized on first use, because a CLI answers a handful of queries:
/// the same loop over <c>TensorPrimitives.Dot</c> ran in tier-0 code for all of them, 5–8× slower. Four query tokens
/// share each document token load.
/// </summary>
internal static class MaxSimKernel
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BestMatches(ReadOnlySpan<float> query, int queryTokens, ReadOnlySpan<float> document, int dimensions, Span<float> best)
    {
        best[..queryTokens].Fill(float.NegativeInfinity);
        var documentTokens = document.Length / dimensions;
        var vectorized = Vector.IsHardwareAccelerated && dimensions % Vector<float>.Count == 0;
        for (var t = 0; t < documentTokens; t++)
        {
            var token = document.Slice(t * dimensions, dimensions);
            var q = 0;
            if (vectorized)
            {
                var d = MemoryMarshal.Cast<float, Vector<float>>(token);
                for (; q + 4 <= queryTokens; q += 4)
                {
                    var q0 = MemoryMarshal.Cast<float, Vector<float>>(query.Slice(q * dimensions, dimensions));
                    var q1 = MemoryMarshal.Cast<float, Vector<float>>(query.Slice((q + 1) * dimensions, dimensions));
                    var q2 = MemoryMarshal.Cast<float, Vector<float>>(query.Slice((q + 2) * dimensions, dimensions));
                    var q3 = MemoryMarshal.Cast<float, Vector<float>>(query.Slice((q + 3) * dimensions, dimensions));
                    Vector<float> a0 = default, a1 = default, a2 = default, a3 = default;
                    for (var k = 0; k < d.Length; k++)
                    {
                        var x = d[k];
                        a0 = Vector.FusedMultiplyAdd(q0[k], x, a0);
                        a1 = Vector.FusedMultiplyAdd(q1[k], x, a1);
                        a2 = Vector.FusedMultiplyAdd(q2[k], x, a2);
                        a3 = Vector.FusedMultiplyAdd(q3[k], x, a3);
                    }
                    best[q] = MathF.Max(best[q], Vector.Sum(a0));
                    best[q + 1] = MathF.Max(best[q + 1], Vector.Sum(a1));
                    best[q + 2] = MathF.Max(best[q + 2], Vector.Sum(a2));
                    best[q + 3] = MathF.Max(best[q + 3], Vector.Sum(a3));
                }
                for (; q < queryTokens; q++)
                {
                    var qv = MemoryMarshal.Cast<float, Vector<float>>(query.Slice(q * dimensions, dimensions));
                    Vector<float> a = default;
                    for (var k = 0; k < d.Length; k++) a = Vector.FusedMultiplyAdd(qv[k], d[k], a);
                    best[q] = MathF.Max(best[q], Vector.Sum(a));
                }
            }
            else
            {
                for (; q < queryTokens; q++)
                {
                    var qv = query.Slice(q * dimensions, dimensions);
                    var sum = 0f;
                    for (var k = 0; k < dimensions; k++) sum += qv[k] * token[k];
                    best[q] = MathF.Max(best[q], sum);
                }
            }
        }
    }
}
