using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace SkRerank.Onnx.Runtime;

/// <summary>
/// An <see cref="InferenceSession"/> over a BERT-family graph, with its input names detected once. Thread-safe:
/// ONNX Runtime allows concurrent <c>Run</c> calls on one session and every call here brings its own buffers.
/// </summary>
internal sealed class BertSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly string[] _outputNames;

    private BertSession(InferenceSession session, string outputName)
    {
        _session = session;
        var inputs = session.InputMetadata;
        InputIdsName = FindInput(inputs, "input_ids")
            ?? throw new NotSupportedException(
                $"The ONNX model has no 'input_ids' input (it has: {string.Join(", ", inputs.Keys)}).");
        AttentionMaskName = FindInput(inputs, "attention_mask");
        TokenTypeIdsName = FindInput(inputs, "token_type_ids");
        var unknown = inputs.Keys.Where(k => k != InputIdsName && k != AttentionMaskName && k != TokenTypeIdsName).ToList();
        if (unknown.Count > 0)
        {
            throw new NotSupportedException(
                $"The ONNX model has inputs this library cannot fill: {string.Join(", ", unknown)}.");
        }

        foreach (var name in new[] { InputIdsName, AttentionMaskName, TokenTypeIdsName })
        {
            if (name is not null && inputs[name].ElementDataType != TensorElementType.Int64)
            {
                throw new NotSupportedException(
                    $"The ONNX model's input '{name}' is {inputs[name].ElementDataType}; only int64 token inputs are supported.");
            }
        }

        OutputName = outputName;
        OutputDimensions = session.OutputMetadata[outputName].Dimensions;
        _outputNames = [outputName];
    }

    /// <summary>Name of the token id input.</summary>
    public string InputIdsName { get; }

    /// <summary>Name of the attention mask input, when the graph has one.</summary>
    public string? AttentionMaskName { get; }

    /// <summary>Name of the segment (token type) input, when the graph has one; RoBERTa-style graphs do not.</summary>
    public string? TokenTypeIdsName { get; }

    /// <summary>The output that <see cref="Run"/> returns.</summary>
    public string OutputName { get; }

    /// <summary>Declared shape of <see cref="OutputName"/>; -1 for symbolic dimensions.</summary>
    public IReadOnlyList<int> OutputDimensions { get; }

    /// <summary>Opens a session and picks its output with <paramref name="selectOutput"/>.</summary>
    public static BertSession Create(
        Func<SessionOptions, InferenceSession> open,
        SessionOptions options,
        Func<IReadOnlyDictionary<string, NodeMetadata>, string> selectOutput)
    {
        var session = open(options);
        try
        {
            return new BertSession(session, selectOutput(session.OutputMetadata));
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Runs one padded batch and returns the selected output; the caller disposes it.</summary>
    public IDisposableReadOnlyCollection<OrtValue> Run(PaddedBatch batch, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var names = new List<string>(3) { InputIdsName };
        var values = new List<OrtValue>(3) { batch.CreateInputIds() };
        try
        {
            if (AttentionMaskName is not null)
            {
                names.Add(AttentionMaskName);
                values.Add(batch.CreateAttentionMask());
            }

            if (TokenTypeIdsName is not null)
            {
                names.Add(TokenTypeIdsName);
                values.Add(batch.CreateTokenTypeIds());
            }

            using var runOptions = new RunOptions();
            // Terminate stops a long batch mid-way instead of waiting for it to finish.
            using var registration = cancellationToken.Register(static state => ((RunOptions)state!).Terminate = true, runOptions);
            try
            {
                return _session.Run(runOptions, names, values, _outputNames);
            }
            catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }
        }
        finally
        {
            foreach (var value in values) value.Dispose();
        }
    }

    /// <summary>
    /// Runs <paramref name="sequences"/> longest first in batches of <paramref name="batchSize"/>, up to
    /// <paramref name="parallelism"/> batches at a time, and hands each batch's output to <paramref name="read"/>
    /// with the input indices of its rows. <paramref name="read"/> may be called concurrently, for distinct indices.
    /// </summary>
    /// <remarks>
    /// Concurrent single-threaded runs beat one run spread over every core for BERT-sized graphs: a run is hundreds of
    /// small operators, and splitting each across threads costs a barrier per operator, which collapses when another
    /// process holds a core.
    /// </remarks>
    public async Task RunBatchesAsync(
        IReadOnlyList<EncodedSequence> sequences,
        int batchSize,
        int parallelism,
        int padId,
        BatchOutputReader read,
        CancellationToken cancellationToken)
    {
        var order = LengthOrder.LongestFirst(sequences);
        var batchCount = (order.Length + batchSize - 1) / batchSize;
        var next = -1;
        var stop = 0;

        void Work()
        {
            using var batch = new PaddedBatch();
            var rows = new List<EncodedSequence>(batchSize);
            try
            {
                int b;
                // Batches are claimed one at a time, so a worker stuck on a long batch does not hold up the others.
                while (Volatile.Read(ref stop) == 0 && (b = Interlocked.Increment(ref next)) < batchCount)
                {
                    var start = b * batchSize;
                    var count = Math.Min(batchSize, order.Length - start);
                    rows.Clear();
                    for (var k = 0; k < count; k++) rows.Add(sequences[order[start + k]]);
                    batch.Fill(rows, padId);
                    using var outputs = Run(batch, cancellationToken);
                    var output = outputs[0];
                    read(batch, output.GetTensorDataAsSpan<float>(), output.GetTensorTypeAndShape().Shape, order.AsSpan(start, count));
                }
            }
            catch
            {
                Volatile.Write(ref stop, 1);
                throw;
            }
        }

        var workers = Math.Min(Math.Max(parallelism, 1), batchCount);
        if (workers <= 1)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Work();
            return;
        }

        var tasks = new Task[workers];
        for (var w = 0; w < workers; w++) tasks[w] = Task.Run(Work, cancellationToken);
        await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose() => _session.Dispose();

    private static string? FindInput(IReadOnlyDictionary<string, NodeMetadata> inputs, string name) =>
        inputs.Keys.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
}
