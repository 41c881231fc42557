using Microsoft.ML.OnnxRuntime;

namespace SkRerank.Onnx.Reranking;

/// <summary>Settings of an <see cref="OnnxCrossEncoderReranker"/>.</summary>
public sealed class OnnxCrossEncoderRerankerOptions
{
    /// <summary>Model name for <see cref="SkRerank.Reranking.RerankerMetadata"/>; by default the folder name or Hugging Face id.</summary>
    public string? ModelId { get; set; }

    /// <summary>Longest query-document pair in tokens, the three special tokens included; BERT models take at most 512.</summary>
    public int MaxTokens { get; set; } = 512;

    /// <summary>
    /// Most tokens the query may take; <see langword="null"/> allows half of the budget. Documents are cut first: they
    /// get whatever the query leaves.
    /// </summary>
    public int? MaxQueryTokens { get; set; }

    /// <summary>Query-document pairs run through the model together, sorted by length so that batches pad little.</summary>
    public int BatchSize { get; set; } = 8;

    /// <summary>How a single-logit output becomes the score. Two-class outputs always score the softmax of class 1.</summary>
    public CrossEncoderScoreActivation ScoreActivation { get; set; } = CrossEncoderScoreActivation.None;

    /// <summary>Whether text is lower-cased (and accents stripped); <see langword="null"/> reads it from <c>tokenizer.json</c>, uncased for <c>vocab.txt</c>.</summary>
    public bool? LowerCase { get; set; }

    /// <summary>Batches run at the same time, each on its own thread; every core by default.</summary>
    public int MaxConcurrentBatches { get; set; } = Environment.ProcessorCount;

    /// <summary>Threads ONNX Runtime uses inside one operator; <see langword="null"/> means 1 when batches run concurrently, else every core.</summary>
    public int? IntraOpNumThreads { get; set; }

    /// <summary>Adjusts the ONNX Runtime session options last, e.g. to add an execution provider.</summary>
    public Action<SessionOptions>? ConfigureSessionOptions { get; set; }

    internal int EffectiveMaxQueryTokens => MaxQueryTokens ?? (MaxTokens - 3) / 2;

    internal void Validate()
    {
        // Three special tokens plus at least one token each for query and document.
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxTokens, 5, nameof(MaxTokens));
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrentBatches, 1, nameof(MaxConcurrentBatches));
        if (MaxQueryTokens is { } query)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(query, 1, nameof(MaxQueryTokens));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(query, MaxTokens - 4, nameof(MaxQueryTokens));
        }

        if (IntraOpNumThreads is { } threads) ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1, nameof(IntraOpNumThreads));
    }
}
