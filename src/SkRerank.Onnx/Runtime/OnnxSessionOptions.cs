using Microsoft.ML.OnnxRuntime;

namespace SkRerank.Onnx.Runtime;

/// <summary>Builds the <see cref="SessionOptions"/> shared by the embedding generator and the cross-encoder.</summary>
internal static class OnnxSessionOptions
{
    /// <summary>Intra-op threads when the caller did not choose: one per run when runs go in parallel, else every core.</summary>
    public static int DefaultIntraOpThreads(int? requested, int concurrentRuns) =>
        requested ?? (concurrentRuns > 1 ? 1 : Environment.ProcessorCount);

    /// <summary>Creates CPU session options tuned for batched BERT inference.</summary>
    /// <param name="intraOpNumThreads">Threads inside one operator.</param>
    /// <param name="configure">Last say over the options, for settings this library does not expose.</param>
    public static SessionOptions Create(int intraOpNumThreads, Action<SessionOptions>? configure)
    {
        var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            // BERT graphs are a chain of operators: parallelism inside operators pays, between them it only adds threads.
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = intraOpNumThreads,
            InterOpNumThreads = 1,
            // Every batch has a different sequence length (dynamic padding): a memory pattern planned for one shape
            // is useless for the next and each new shape's plan is cached.
            EnableMemoryPattern = false,
        };
        if (intraOpNumThreads == 1)
        {
            // A lone intra-op thread has nobody to wait for; spinning would only burn a core that other runs need.
            options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        }

        configure?.Invoke(options);
        return options;
    }
}
