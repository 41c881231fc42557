using Microsoft.ML.OnnxRuntime;

namespace SkRerank.Onnx.Embeddings;

/// <summary>Settings of an <see cref="OnnxEmbeddingGenerator"/>.</summary>
public sealed class OnnxEmbeddingGeneratorOptions
{
    /// <summary>Longest input in tokens, special tokens and prefix included; longer texts are cut at the end. BERT models take at most 512.</summary>
    public int MaxTokens { get; set; } = 512;

    /// <summary>Texts run through the model together. Inputs are sorted by length first, so batches pad little.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>Threads ONNX Runtime uses inside one operator; <see langword="null"/> uses every core.</summary>
    public int? IntraOpNumThreads { get; set; }

    /// <summary>Adjusts the ONNX Runtime session options last, e.g. to add an execution provider.</summary>
    public Action<SessionOptions>? ConfigureSessionOptions { get; set; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxTokens, 3, nameof(MaxTokens));
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        if (IntraOpNumThreads is { } threads) ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1, nameof(IntraOpNumThreads));
    }
}
