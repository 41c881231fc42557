using Microsoft.ML.OnnxRuntime;

namespace SkRerank.Onnx.Runtime;

/// <summary>Builds the <see cref="SessionOptions"/> shared by the embedding generator and the cross-encoder.</summary>
internal static class OnnxSessionOptions
{
    /// <summary>Creates CPU session options tuned for batched BERT inference.</summary>
    /// <param name="intraOpNumThreads">Threads inside one operator; <see langword="null"/> uses every core.</param>
    /// <param name="configure">Last say over the options, for settings this library does not expose.</param>
    public static SessionOptions Create(int? intraOpNumThreads, Action<SessionOptions>? configure)
    {
        var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            // BERT graphs are a chain of operators: parallelism inside operators pays, between them it only adds threads.
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = intraOpNumThreads ?? Environment.ProcessorCount,
            InterOpNumThreads = 1,
            // Every batch has a different sequence length (dynamic padding): a memory pattern planned for one shape
            // is useless for the next and each new shape's plan is cached.
            EnableMemoryPattern = false,
        };
        configure?.Invoke(options);
        return options;
    }
}
