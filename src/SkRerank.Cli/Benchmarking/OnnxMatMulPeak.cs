using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;

namespace SkRerank.Cli.Benchmarking;

/// <summary>
/// Measures the machine's practical float32 peak the way the embedding models reach it: one large ONNX Runtime MatMul
/// (the same MLAS kernels that run a BERT layer's projections) on every core at once, one single-threaded run per core
/// as the embedding generator runs its batches. The model is a single MatMul node, written as protobuf bytes here so
/// no model file is needed.
/// </summary>
internal sealed class OnnxMatMulPeak : IDisposable
{
    private readonly InferenceSession _session;
    private readonly OrtValue _a, _b;
    private readonly int _size;

    public OnnxMatMulPeak(int size = 1024)
    {
        _size = size;
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        _session = new InferenceSession(MatMulModel(), options);
        var random = new Random(7);
        var a = new float[size * size];
        var b = new float[size * size];
        for (var i = 0; i < a.Length; i++) { a[i] = random.NextSingle() - 0.5f; b[i] = random.NextSingle() - 0.5f; }
        _a = OrtValue.CreateTensorValueFromMemory(a, [size, size]);
        _b = OrtValue.CreateTensorValueFromMemory(b, [size, size]);
        Measure(); // first run plans buffers
    }

    /// <summary>FLOPs of one multiplication: 2·n³ (a multiply and an add per inner-product term).</summary>
    public double FlopsPerRun => 2.0 * _size * _size * _size;

    /// <summary>Runs the multiplication once on every core at the same time; returns the total GFLOP/s.</summary>
    public double Measure()
    {
        var workers = Environment.ProcessorCount;
        var clock = Stopwatch.StartNew();
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, _ =>
        {
            using var runOptions = new RunOptions();
            using var outputs = _session.Run(runOptions, ["A", "B"], [_a, _b], ["C"]);
        });
        return workers * FlopsPerRun / clock.Elapsed.TotalSeconds / 1e9;
    }

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
        _session.Dispose();
    }

    // ModelProto { ir_version 7, opset 13, graph { MatMul(A, B) -> C } } with symbolic shapes, in protobuf wire format.
    private static byte[] MatMulModel()
    {
        static byte[] Tensor(string name) => Proto.Message(
            Proto.String(1, name),
            Proto.Bytes(2, Proto.Message( // TypeProto
                Proto.Bytes(1, Proto.Message( // TypeProto.Tensor
                    Proto.Varint(1, 1), // FLOAT
                    Proto.Bytes(2, Proto.Message( // TensorShapeProto
                        Proto.Bytes(1, Proto.Message(Proto.String(2, name + "_rows"))),
                        Proto.Bytes(1, Proto.Message(Proto.String(2, name + "_cols"))))))))));

        var node = Proto.Message(Proto.String(1, "A"), Proto.String(1, "B"), Proto.String(2, "C"), Proto.String(3, "matmul"), Proto.String(4, "MatMul"));
        var graph = Proto.Message(
            Proto.Bytes(1, node),
            Proto.String(2, "peak"),
            Proto.Bytes(11, Tensor("A")),
            Proto.Bytes(11, Tensor("B")),
            Proto.Bytes(12, Tensor("C")));
        return Proto.Message(
            Proto.Varint(1, 7),
            Proto.String(2, "skrerank-bench"),
            Proto.Bytes(7, graph),
            Proto.Bytes(8, Proto.Message(Proto.String(1, ""), Proto.Varint(2, 13))));
    }

    /// <summary>Just enough of the protobuf wire format to write the model above.</summary>
    private static class Proto
    {
        public static byte[] Message(params byte[][] fields) => fields.SelectMany(f => f).ToArray();

        public static byte[] Varint(int field, long value) => [.. Key(field, 0), .. Encode((ulong)value)];

        public static byte[] String(int field, string value) => Bytes(field, System.Text.Encoding.UTF8.GetBytes(value));

        public static byte[] Bytes(int field, byte[] value) => [.. Key(field, 2), .. Encode((ulong)value.Length), .. value];

        private static byte[] Key(int field, int wireType) => Encode((ulong)((field << 3) | wireType));

        private static byte[] Encode(ulong value)
        {
            var bytes = new List<byte>();
            do
            {
                var b = (byte)(value & 0x7F);
                value >>= 7;
                bytes.Add(value != 0 ? (byte)(b | 0x80) : b);
            }
            while (value != 0);
            return [.. bytes];
        }
    }
}
