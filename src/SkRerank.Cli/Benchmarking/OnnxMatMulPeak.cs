using System.Diagnostics;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using SkRerank.Onnx.Quantization;
using SkRerank.Onnx.Quantization.Proto;

namespace SkRerank.Cli.Benchmarking;

/// <summary>
/// Measures the machine's practical peak the way the embedding models reach it: one large ONNX Runtime MatMul (the
/// same MLAS kernels that run a BERT layer's projections) on every core at once, one single-threaded run per core as
/// the embedding generator runs its batches. <see cref="Float32"/> multiplies two float inputs; <see cref="Int8"/>
/// multiplies by a constant weight quantized by the same quantizer as the int8 embedding model, so ONNX Runtime runs it
/// on the same fused kernel. Operations are counted like FLOPs (2·n³), so the two peaks compare directly.
/// </summary>
internal sealed class OnnxMatMulPeak : IDisposable
{
    private readonly InferenceSession _session;
    private readonly string[] _inputNames;
    private readonly OrtValue[] _inputs;

    private OnnxMatMulPeak(byte[] model, int size, params (string Name, float[] Values)[] inputs)
    {
        OpsPerRun = 2.0 * size * size * size;
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        _session = new InferenceSession(model, options);
        _inputNames = inputs.Select(i => i.Name).ToArray();
        _inputs = inputs.Select(i => OrtValue.CreateTensorValueFromMemory(i.Values, [size, size])).ToArray();
        Measure(); // first run plans buffers
    }

    /// <summary>Operations of one multiplication: 2·n³ (a multiply and an add per inner-product term).</summary>
    public double OpsPerRun { get; }

    /// <summary>C = A · B in float32, both operands inputs.</summary>
    public static OnnxMatMulPeak Float32(int size = 1024)
    {
        var random = new Random(7);
        return new OnnxMatMulPeak(Model(size, constantWeights: null).ToByteArray(), size, ("A", RandomMatrix(random, size)), ("B", RandomMatrix(random, size)));
    }

    /// <summary>C = A · W with W a constant weight (the shape of a linear layer), quantized to int8 by SkRerank's quantizer.</summary>
    public static OnnxMatMulPeak Int8(int size = 1024)
    {
        var random = new Random(7);
        var weights = RandomMatrix(random, size);
        var quantized = DynamicInt8Quantizer.Quantize(Model(size, weights).ToByteArray()).Bytes;
        return new OnnxMatMulPeak(quantized, size, ("A", RandomMatrix(random, size)));
    }

    /// <summary>Runs the multiplication once on every core at the same time; returns the total GFLOP/s (GOP/s for int8).</summary>
    public double Measure()
    {
        var workers = Environment.ProcessorCount;
        var clock = Stopwatch.StartNew();
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, _ =>
        {
            using var runOptions = new RunOptions();
            using var outputs = _session.Run(runOptions, _inputNames, _inputs, ["C"]);
        });
        return workers * OpsPerRun / clock.Elapsed.TotalSeconds / 1e9;
    }

    public void Dispose()
    {
        foreach (var input in _inputs) input.Dispose();
        _session.Dispose();
    }

    private static float[] RandomMatrix(Random random, int size)
    {
        var values = new float[size * size];
        for (var i = 0; i < values.Length; i++) values[i] = random.NextSingle() - 0.5f;
        return values;
    }

    // One MatMul node, opset 13: C = A · B with B an input, or C = A · W with W a constant initializer.
    private static ModelProto Model(int size, float[]? constantWeights)
    {
        var graph = new GraphProto { Name = "peak" };
        var right = constantWeights is null ? "B" : "W";
        graph.Node.Add(new NodeProto { OpType = "MatMul", Name = "matmul", Input = { "A", right }, Output = { "C" } });
        graph.Input.Add(FloatMatrix("A"));
        if (constantWeights is null)
        {
            graph.Input.Add(FloatMatrix("B"));
        }
        else
        {
            graph.Initializer.Add(new TensorProto
            {
                Name = "W",
                Dims = { size, size },
                DataType = (int)TensorProto.Types.DataType.Float,
                RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(constantWeights.AsSpan())),
            });
        }
        graph.Output.Add(FloatMatrix("C"));
        var model = new ModelProto { IrVersion = 7, ProducerName = "skrerank-bench", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        return model;
    }

    // A float matrix of symbolic shape [name_rows, name_cols].
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
