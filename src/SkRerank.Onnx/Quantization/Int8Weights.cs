namespace SkRerank.Onnx.Quantization;

/// <summary>
/// A float weight matrix <c>[K, N]</c> quantized to signed integers, symmetrically (zero point 0): column <c>j</c> is
/// <c>Values[:, j] · Scales[j]</c> (one scale for all columns when quantized per tensor).
/// </summary>
internal sealed class Int8Weights
{
    private Int8Weights(sbyte[] values, float[] scales)
    {
        Values = values;
        Scales = scales;
    }

    /// <summary>The quantized matrix, row-major <c>[K, N]</c> like the original.</summary>
    public sbyte[] Values { get; }

    /// <summary>One scale per output column (<c>N</c>), or a single scale for the whole matrix.</summary>
    public float[] Scales { get; }

    /// <summary>Quantizes a row-major <c>[rows, columns]</c> matrix.</summary>
    /// <param name="weights">The matrix.</param>
    /// <param name="rows">K, the inner dimension of the MatMul.</param>
    /// <param name="columns">N, the output width.</param>
    /// <param name="perColumn">One scale per output column instead of one for the matrix.</param>
    /// <param name="maxLevel">Largest magnitude used: 127 for full int8, 63 for 7 bits.</param>
    public static Int8Weights Quantize(ReadOnlySpan<float> weights, int rows, int columns, bool perColumn, int maxLevel)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(weights.Length, rows * columns, nameof(weights));
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLevel, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxLevel, 127);

        var maxAbs = new float[perColumn ? columns : 1];
        for (var r = 0; r < rows; r++)
        {
            var row = weights.Slice(r * columns, columns);
            for (var c = 0; c < columns; c++)
            {
                var value = row[c];
                if (!float.IsFinite(value)) throw new NotSupportedException($"The weight at [{r}, {c}] is {value}; only finite weights can be quantized.");
                ref var max = ref maxAbs[perColumn ? c : 0];
                max = MathF.Max(max, MathF.Abs(value));
            }
        }

        // An all-zero column quantizes to zeros at any scale; 1 avoids dividing by zero.
        var scales = maxAbs.Select(m => m > 0 ? m / maxLevel : 1f).ToArray();
        var inverse = scales.Select(s => 1f / s).ToArray();
        var values = new sbyte[weights.Length];
        for (var r = 0; r < rows; r++)
        {
            var row = weights.Slice(r * columns, columns);
            var output = values.AsSpan(r * columns, columns);
            for (var c = 0; c < columns; c++)
            {
                // Round half to even, as ONNX QuantizeLinear does; the clamp only guards float rounding at ±maxLevel.
                var q = MathF.Round(row[c] * inverse[perColumn ? c : 0], MidpointRounding.ToEven);
                output[c] = (sbyte)Math.Clamp(q, -maxLevel, maxLevel);
            }
        }

        return new Int8Weights(values, scales);
    }
}
