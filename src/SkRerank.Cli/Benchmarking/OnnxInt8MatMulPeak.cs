using System.Diagnostics;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using SkRerank.Onnx.Quantization;
using SkRerank.Onnx.Quantization.Proto;

namespace SkRerank.Cli.Benchmarking;

/// <summary>
/// The int8 counterpart of <see cref="OnnxMatMulPeak"/>: one large MatMul with a constant weight, quantized by the same
/// quantizer as the int8 embedding model, so ONNX Runtime runs it on the same fused kernel (activation quantized at run
/// time, prepacked 7-bit weights, uint8 x int8 GEMM). One single-threaded run per core, all at once. Operations are
/// counted like FLOPs (2·n³), so GOP/s here and GFLOP/s there compare directly.
/// </summary>
internal sealed class OnnxInt8MatMulPeak : IDisposable
{
    private readonly InferenceSession _session;
    private readonly OrtValue _a;
    private readonly int _size;

    public OnnxInt8MatMulPeak(int size = 1024)
    {
        _size = size;
        var random = new Random(7);
        var weights = new float[size * size];
        for (var i = 0; i < weights.Length; i++) weights[i] = random.NextSingle() - 0.5f;
        var a = new float[size * size];
        for (var i = 0; i < a.Length; i++) a[i] = random.NextSingle() - 0.5f;

        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        _session = new InferenceSession(DynamicInt8Quantizer.Quantize(FloatModel(size, weights)).Bytes, options);
        _a = OrtValue.CreateTensorValueFromMemory(a, [size, size]);
        Measure(); // first run plans buffers
    }

    /// <summary>Integer operations of one multiplication: 2·n³ (a multiply and an add per inner-product term).</summary>
    public double OpsPerRun => 2.0 * _size * _size * _size;

    /// <summary>Runs the multiplication once on every core at the same time; returns the total GOP/s.</summary>
    public double Measure()
    {
        var workers = Environment.ProcessorCount;
        var clock = Stopwatch.StartNew();
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, _ =>
        {
            using var runOptions = new RunOptions();
            using var outputs = _session.Run(runOptions, ["A"], [_a], ["C"]);
        });
        return workers * OpsPerRun / clock.Elapsed.TotalSeconds / 1e9;
    }

    public void Dispose()
    {
        _a.Dispose();
        _session.Dispose();
    }

    // C = A · W with W a constant [n, n] initializer: the shape of a linear layer, which is what the quantizer rewrites.
    private static byte[] FloatModel(int size, float[] weights)
    {
        var graph = new GraphProto { Name = "int8-peak" };
        graph.Node.Add(new NodeProto { OpType = "MatMul", Name = "matmul", Input = { "A", "W" }, Output = { "C" } });
        graph.Initializer.Add(new TensorProto
        {
            Name = "W",
            Dims = { size, size },
            DataType = (int)TensorProto.Types.DataType.Float,
            RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(weights.AsSpan())),
        });
        graph.Input.Add(FloatMatrix("A"));
        graph.Output.Add(FloatMatrix("C"));
        var model = new ModelProto { IrVersion = 7, ProducerName = "skrerank-bench", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        return model.ToByteArray();
    }

    // A float matrix of symbolic shape [A_rows, A_cols].
    private static ValueInfoProto FloatMatrix(string name) => new()
    {
        Name = name,
        Type = new TypeProto
        {
            TensorType = new TypeProto.Types.Tensor
            {
                ElemType = (int)TensorProto.Types.DataType.Float,
                Shape = new TensorShapeProto
                {
                    Dim =
                    {
                        new TensorShapeProto.Types.Dimension { DimParam = name + "_rows" },
                        new TensorShapeProto.Types.Dimension { DimParam = name + "_cols" },
                    },
                },
            },
        },
    };
}
