using Microsoft.ML.OnnxRuntime;

namespace SkRerank.Onnx.Embeddings;

/// <summary>Settings of an <see cref="OnnxEmbeddingGenerator"/>.</summary>
public sealed class OnnxEmbeddingGeneratorOptions
{
    /// <summary>Longest input in tokens, special tokens and prefix included; longer texts are cut at the end. BERT models take at most 512.</summary>
    public int MaxTokens { get; set; } = 512;

    /// <summary>
    /// Texts run through the model together. Inputs are sorted by length first, so batches pad little. Small batches
    /// keep a BERT layer's activations in the CPU cache; larger ones measured slower per token on a 2-core machine.
    /// </summary>
    public int BatchSize { get; set; } = 8;

    /// <summary>Batches run at the same time, each on its own thread; every core by default.</summary>
    public int MaxConcurrentBatches { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// Threads ONNX Runtime uses inside one operator; <see langword="null"/> means 1 when batches run concurrently,
    /// else every core. For the lowest latency on single short texts, set <see cref="MaxConcurrentBatches"/> to 1.
    /// </summary>
    public int? IntraOpNumThreads { get; set; }

    /// <summary>Adjusts the ONNX Runtime session options last, e.g. to add an execution provider.</summary>
    public Action<SessionOptions>? ConfigureSessionOptions { get; set; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxTokens, 3, nameof(MaxTokens));
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrentBatches, 1, nameof(MaxConcurrentBatches));
        if (IntraOpNumThreads is { } threads) ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1, nameof(IntraOpNumThreads));
    }
}
