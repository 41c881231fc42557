using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Google.Protobuf;
using SkRerank.Onnx.Quantization.Proto;

namespace SkRerank.Onnx.Quantization;

/// <summary>
/// Rewrites an ONNX model's linear layers for dynamic int8 inference, the standard ONNX pattern ONNX Runtime's own
/// quantizer emits: every <c>MatMul(A, W)</c> whose <c>W</c> is a constant 2-D float initializer <c>[K, N]</c> becomes
/// <code>
/// DynamicQuantizeLinear(A) → A_q (uint8), A_scale, A_zp
/// MatMulInteger(A_q, W_q, A_zp, 0) → int32;  Cast(float);  Mul(·, Mul(A_scale, W_scale))
/// </code>
/// with <c>W_q</c> int8 and symmetric. ONNX Runtime's graph optimizer fuses the chain into its
/// <c>MatMulIntegerToFloat</c> / <c>DynamicQuantizeMatMul</c> kernels (with the bias <c>Add</c> that follows).
/// Activations are quantized at run time, once per distinct input (Q, K and V projections share one).
/// </summary>
/// <remarks>
/// Only the main graph is rewritten (subgraphs of If/Loop are left in float). Matrix multiplications of two activations
/// (attention scores) stay in float: they have no weights to quantize ahead of time.
/// </remarks>
internal static class DynamicInt8Quantizer
{
    /// <summary>The model metadata entry that records how a model was quantized.</summary>
    public const string MetadataKey = "skrerank.quantization";

    /// <summary>Names this rewrite in cache keys; change it whenever the output for the same input changes.</summary>
    public const string Version = "skrerank-dynamic-int8/1";

    // DynamicQuantizeLinear appeared in opset 11, MatMulInteger in 10.
    private const long MinimumOpset = 11;
    private const int FloatType = (int)TensorProto.Types.DataType.Float;

    /// <summary>Quantizes <paramref name="model"/> (ONNX protobuf bytes) and returns the new model's bytes.</summary>
    /// <exception cref="InvalidDataException">The bytes are not an ONNX model.</exception>
    /// <exception cref="NotSupportedException">
    /// The model has nothing to quantize (no MatMul with a constant 2-D float weight), keeps weights in external files,
    /// or imports an opset older than 11.
    /// </exception>
    public static QuantizedModel Quantize(byte[] model, Int8QuantizationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= Int8QuantizationOptions.Default;
        ModelProto proto;
        try
        {
            proto = ModelProto.Parser.ParseFrom(model);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new InvalidDataException($"Not an ONNX model: {ex.Message}", ex);
        }

        if (proto.Graph is not { } graph || graph.Node.Count == 0)
            throw new InvalidDataException("Not an ONNX model: it has no graph.");
        if (proto.MetadataProps.Any(p => p.Key == MetadataKey))
            throw new NotSupportedException("The model is already quantized.");
        var opset = proto.OpsetImport.Where(o => IsDefaultDomain(o.Domain)).Select(o => o.Version).DefaultIfEmpty(0).Max();
        if (opset < MinimumOpset)
            throw new NotSupportedException($"The model imports ONNX opset {opset}; int8 quantization needs opset {MinimumOpset} or later (DynamicQuantizeLinear).");
        if (graph.Initializer.FirstOrDefault(t => t.DataLocation == TensorProto.Types.DataLocation.External) is { } external)
            throw new NotSupportedException($"The model keeps '{external.Name}' in an external file; only self-contained models can be quantized.");

        var rewrite = new GraphRewrite(graph, options);
        var count = rewrite.Run();
        if (count == 0)
            throw new NotSupportedException("The model has no MatMul with a constant 2-D float weight: there is nothing to quantize.");

        proto.MetadataProps.Add(new StringStringEntryProto { Key = MetadataKey, Value = options.Describe() });
        return new QuantizedModel(proto.ToByteArray(), count);
    }

    private static bool IsDefaultDomain(string? domain) => string.IsNullOrEmpty(domain) || domain == "ai.onnx";

    /// <summary>The rewrite of one graph; names it adds are checked against every name already in it.</summary>
    private sealed class GraphRewrite(GraphProto graph, Int8QuantizationOptions options)
    {
        private readonly Dictionary<string, TensorProto> _initializers = graph.Initializer
            .GroupBy(t => t.Name).ToDictionary(g => g.Key, g => g.Last());
        private readonly HashSet<string> _names = [];
        // Activation name → its DynamicQuantizeLinear outputs, so that projections of one input quantize it once.
        private readonly Dictionary<string, (string Quantized, string Scale, string ZeroPoint)> _quantizedActivations = [];
        // Weight name → its int8 initializer and scale, for weights shared by several MatMuls.
        private readonly Dictionary<string, (string Values, string Scale)> _quantizedWeights = [];
        private string? _weightZeroPoint;

        public int Run()
        {
            CollectNames();
            // A graph input with an initializer's name overrides it at run time: that weight is not a constant.
            var overridable = graph.Input.Select(i => i.Name).ToHashSet();
            var consumers = CountConsumers();

            var rewritten = new List<NodeProto>(graph.Node.Count + 64);
            var matMulOutputs = new HashSet<string>();
            var count = 0;
            foreach (var node in graph.Node)
            {
                if (IsWeightMatMul(node, overridable, out var weight, out var rows, out var columns))
                {
                    rewritten.AddRange(Rewrite(node, weight, rows, columns));
                    matMulOutputs.Add(node.Output[0]);
                    count++;
                }
                else
                {
                    rewritten.Add(node);
                }
            }

            if (count == 0) return 0;
            MoveBiasesSecond(rewritten, matMulOutputs);
            graph.Node.Clear();
            graph.Node.AddRange(rewritten);

            // Float weights no other node reads are dropped (that is most of the size saved).
            foreach (var name in _quantizedWeights.Keys)
            {
                if (consumers.GetValueOrDefault(name) == 0) graph.Initializer.Remove(_initializers[name]);
            }

            return count;

            Dictionary<string, int> CountConsumers()
            {
                var counts = new Dictionary<string, int>();
                foreach (var node in graph.Node)
                {
                    // The MatMuls about to be rewritten no longer read their float weight.
                    var skipWeight = IsWeightMatMul(node, overridable, out _, out _, out _);
                    for (var i = 0; i < node.Input.Count; i++)
                    {
                        if (skipWeight && i == 1) continue;
                        counts[node.Input[i]] = counts.GetValueOrDefault(node.Input[i]) + 1;
                    }

                    foreach (var subgraph in node.Attribute.SelectMany(a => a.Graphs.Prepend(a.G)).OfType<GraphProto>())
                    {
                        // A subgraph may read an outer initializer by name; keep every such name.
                        foreach (var inner in subgraph.Node.SelectMany(n => n.Input)) counts[inner] = counts.GetValueOrDefault(inner) + 1;
                    }
                }

                foreach (var output in graph.Output) counts[output.Name] = counts.GetValueOrDefault(output.Name) + 1;
                return counts;
            }
        }

        private bool IsWeightMatMul(NodeProto node, HashSet<string> overridable, out TensorProto weight, out int rows, out int columns)
        {
            weight = null!;
            rows = columns = 0;
            if (node.OpType != "MatMul" || !IsDefaultDomain(node.Domain) || node.Input.Count != 2 || node.Output.Count != 1) return false;
            if (overridable.Contains(node.Input[1]) || !_initializers.TryGetValue(node.Input[1], out var tensor)) return false;
            if (tensor.DataType != FloatType || tensor.Dims.Count != 2 || tensor.Dims[0] <= 0 || tensor.Dims[1] <= 0) return false;
            weight = tensor;
            rows = checked((int)tensor.Dims[0]);
            columns = checked((int)tensor.Dims[1]);
            return true;
        }

        private IEnumerable<NodeProto> Rewrite(NodeProto matMul, TensorProto weight, int rows, int columns)
        {
            var input = matMul.Input[0];
            var output = matMul.Output[0];
            var stem = string.IsNullOrEmpty(matMul.Name) ? output : matMul.Name;

            if (!_quantizedActivations.TryGetValue(input, out var activation))
            {
                activation = (Unique(input + "_quantized"), Unique(input + "_scale"), Unique(input + "_zero_point"));
                _quantizedActivations[input] = activation;
                yield return Node("DynamicQuantizeLinear", Unique(stem + "_quantize_input"), [input], [activation.Quantized, activation.Scale, activation.ZeroPoint]);
            }

            var (values, scale) = QuantizedWeight(weight, rows, columns);
            var product = Unique(output + "_int32");
            var asFloat = Unique(output + "_int32_float");
            var scales = Unique(output + "_scale");
            yield return Node("MatMulInteger", Unique(stem + "_int8"), [activation.Quantized, values, activation.ZeroPoint, WeightZeroPoint()], [product]);
            var cast = Node("Cast", Unique(stem + "_to_float"), [product], [asFloat]);
            cast.Attribute.Add(new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = FloatType });
            yield return cast;
            // ONNX Runtime's fusion looks for exactly this: Mul(Cast(MatMulInteger), Mul(A_scale, W_scale)).
            yield return Node("Mul", Unique(stem + "_scales"), [activation.Scale, scale], [scales]);
            yield return Node("Mul", Unique(stem + "_rescale"), [asFloat, scales], [output]);
        }

        private (string Values, string Scale) QuantizedWeight(TensorProto weight, int rows, int columns)
        {
            if (_quantizedWeights.TryGetValue(weight.Name, out var existing)) return existing;
            var quantized = Int8Weights.Quantize(ReadFloats(weight), rows, columns, options.PerColumn, options.MaxLevel);

            var values = new TensorProto
            {
                Name = Unique(weight.Name + "_int8"),
                DataType = (int)TensorProto.Types.DataType.Int8,
                RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(quantized.Values.AsSpan())),
            };
            values.Dims.Add(rows);
            values.Dims.Add(columns);
            var scale = new TensorProto
            {
                Name = Unique(weight.Name + "_scale"),
                DataType = FloatType,
                RawData = LittleEndianFloats(quantized.Scales),
            };
            // Per column: a [N] vector, which broadcasts over the MatMul's output columns; per tensor: a scalar.
            if (options.PerColumn) scale.Dims.Add(columns);
            graph.Initializer.Add(values);
            graph.Initializer.Add(scale);
            return _quantizedWeights[weight.Name] = (values.Name, scale.Name);
        }

        private string WeightZeroPoint()
        {
            if (_weightZeroPoint is not null) return _weightZeroPoint;
            // Symmetric weights: one scalar int8 zero for every MatMul.
            var zero = new TensorProto
            {
                Name = Unique("skrerank_int8_zero_point"),
                DataType = (int)TensorProto.Types.DataType.Int8,
                RawData = ByteString.CopyFrom(new byte[1]),
            };
            graph.Initializer.Add(zero);
            return _weightZeroPoint = zero.Name;
        }

        /// <summary>
        /// PyTorch exports <c>Add(bias, MatMul(x, W))</c>; ONNX Runtime folds a bias into the int8 kernel only when it
        /// is the Add's second input. Add is commutative and broadcasts the same either way, so the inputs are swapped.
        /// </summary>
        private void MoveBiasesSecond(List<NodeProto> nodes, HashSet<string> matMulOutputs)
        {
            foreach (var node in nodes)
            {
                if (node.OpType != "Add" || !IsDefaultDomain(node.Domain) || node.Input.Count != 2) continue;
                if (matMulOutputs.Contains(node.Input[1]) && _initializers.TryGetValue(node.Input[0], out var bias)
                    && bias.DataType == FloatType && bias.Dims.Count == 1 && !matMulOutputs.Contains(node.Input[0]))
                {
                    (node.Input[0], node.Input[1]) = (node.Input[1], node.Input[0]);
                }
            }
        }

        private static float[] ReadFloats(TensorProto tensor)
        {
            var count = checked((int)(tensor.Dims[0] * tensor.Dims[1]));
            if (!tensor.RawData.IsEmpty)
            {
                var raw = tensor.RawData.Span;
                if (raw.Length != count * sizeof(float))
                    throw new InvalidDataException($"The weight '{tensor.Name}' holds {raw.Length} bytes, not {count} floats.");
                var floats = new float[count];
                for (var i = 0; i < count; i++) floats[i] = BinaryPrimitives.ReadSingleLittleEndian(raw.Slice(i * sizeof(float)));
                return floats;
            }

            if (tensor.FloatData.Count != count)
                throw new InvalidDataException($"The weight '{tensor.Name}' holds {tensor.FloatData.Count} floats, not {count}.");
            return tensor.FloatData.ToArray();
        }

        private static ByteString LittleEndianFloats(float[] values)
        {
            var bytes = new byte[values.Length * sizeof(float)];
            for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
            return ByteString.CopyFrom(bytes);
        }

        private static NodeProto Node(string opType, string name, string[] inputs, string[] outputs)
        {
            var node = new NodeProto { OpType = opType, Name = name };
            node.Input.AddRange(inputs);
            node.Output.AddRange(outputs);
            return node;
        }

        private void CollectNames()
        {
            foreach (var node in graph.Node)
            {
                _names.Add(node.Name);
                _names.UnionWith(node.Input);
                _names.UnionWith(node.Output);
            }

            _names.UnionWith(_initializers.Keys);
            _names.UnionWith(graph.Input.Select(i => i.Name));
            _names.UnionWith(graph.Output.Select(o => o.Name));
        }

        private string Unique(string name)
        {
            var candidate = name;
            for (var i = 1; !_names.Add(candidate); i++) candidate = $"{name}_{i}";
            return candidate;
        }
    }
}
