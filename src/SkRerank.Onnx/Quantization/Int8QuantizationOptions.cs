namespace SkRerank.Onnx.Quantization;

/// <summary>How <see cref="DynamicInt8Quantizer"/> quantizes weights.</summary>
internal sealed record Int8QuantizationOptions
{
    /// <summary>The defaults the shipped int8 models use (measured in docs/performance.md).</summary>
    public static Int8QuantizationOptions Default { get; } = new();

    /// <summary>One scale per output column of a weight matrix (per channel) instead of one per matrix.</summary>
    public bool PerColumn { get; init; } = true;

    /// <summary>
    /// Weights in 7 bits (±63) instead of 8. On x64 CPUs without VNNI, ONNX Runtime multiplies uint8 activations by
    /// int8 weights with <c>vpmaddubsw</c>, which saturates when a pair of products exceeds 16 bits (2·255·127 does);
    /// with 7-bit weights it cannot. Full-range weights are instead widened to uint8 by ONNX Runtime at load, onto a
    /// slower kernel.
    /// </summary>
    public bool ReducedRange { get; init; } = true;

    /// <summary>Largest quantized weight magnitude.</summary>
    public int MaxLevel => ReducedRange ? 63 : 127;

    /// <summary>A short description, stored in the quantized model's metadata and part of its cache key.</summary>
    public string Describe() =>
        $"dynamic int8; weights symmetric {(ReducedRange ? "7-bit" : "8-bit")} {(PerColumn ? "per-column" : "per-tensor")}; activations uint8 per-tensor";
}
