using Google.Protobuf;
using SkRerank.Onnx.Quantization.Proto;

namespace SkRerank.Tests.Onnx;

/// <summary>
/// Writes a tiny "cross-encoder" whose score a test can work out by hand: the sum over attended tokens of a per-token
/// weight, doubled for token type 1 (the document). Graph: Gather(weights, input_ids) * Gather([1, 2], token_type_ids)
/// * attention_mask, ReduceSum over the sequence, giving logits [batch, 1].
/// </summary>
internal static class TinyCrossEncoder
{
    /// <summary>Vocabulary in id order with each token's weight. [PAD] weighs 100 so that leaking padding shows.</summary>
    public static readonly (string Token, float Weight)[] Vocabulary =
    [
        ("[PAD]", 100f), ("[UNK]", 0f), ("[CLS]", 0.25f), ("[SEP]", 0.5f), ("[MASK]", 0f),
        ("bat", 5f), ("##man", 3f), ("gotham", 4f), ("detective", 2f), ("crime", 1f),
        ("romance", -3f), ("love", -2f), ("paris", -1f), ("the", 0.1f), ("in", 0.2f),
        ("a", 0.3f), ("story", 0f), ("dark", 1.5f), ("knight", 2.5f), ("city", 0.7f),
    ];

    public static float Weight(string token) => Vocabulary.Single(v => v.Token == token).Weight;

    /// <summary>The score of <c>[CLS] query [SEP] document [SEP]</c>, from word pieces.</summary>
    public static double ExpectedLogit(string[] queryPieces, string[] documentPieces, bool documentCountsDouble = true) =>
        Weight("[CLS]") + queryPieces.Sum(Weight) + Weight("[SEP]")
        + (documentCountsDouble ? 2 : 1) * (documentPieces.Sum(Weight) + Weight("[SEP]"));

    /// <summary>Writes model.onnx and vocab.txt into <paramref name="folder"/>.</summary>
    /// <param name="twoClasses">Output [batch, 2] = (0, score), like a binary classification head.</param>
    /// <param name="tokenTypes">Whether the graph takes token_type_ids (RoBERTa-style graphs do not).</param>
    public static void Write(string folder, bool twoClasses = false, bool tokenTypes = true, bool writeVocab = true)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "model.onnx"), BuildModel(twoClasses, tokenTypes).ToByteArray());
        if (writeVocab) File.WriteAllLines(Path.Combine(folder, "vocab.txt"), Vocabulary.Select(v => v.Token));
    }

    private static ModelProto BuildModel(bool twoClasses, bool tokenTypes)
    {
        var graph = new GraphProto { Name = "tiny-cross-encoder" };
        graph.Input.Add(TokenInput("input_ids"));
        graph.Input.Add(TokenInput("attention_mask"));
        if (tokenTypes) graph.Input.Add(TokenInput("token_type_ids"));

        graph.Initializer.Add(FloatTensor("token_weight", [Vocabulary.Length, 1], Vocabulary.Select(v => v.Weight)));
        graph.Initializer.Add(FloatTensor("type_weight", [2, 1], [1f, 2f]));
        graph.Initializer.Add(Int64Tensor("axis_sequence", [1], [1]));
        graph.Initializer.Add(Int64Tensor("axis_last", [1], [2]));

        graph.Node.Add(Node("Gather", ["token_weight", "input_ids"], ["token_w"], IntAttribute("axis", 0)));
        graph.Node.Add(Node("Cast", ["attention_mask"], ["mask_f"], IntAttribute("to", (int)TensorProto.Types.DataType.Float)));
        graph.Node.Add(Node("Unsqueeze", ["mask_f", "axis_last"], ["mask_3d"]));
        if (tokenTypes)
        {
            graph.Node.Add(Node("Gather", ["type_weight", "token_type_ids"], ["type_w"], IntAttribute("axis", 0)));
            graph.Node.Add(Node("Mul", ["token_w", "type_w"], ["typed_w"]));
            graph.Node.Add(Node("Mul", ["typed_w", "mask_3d"], ["masked_w"]));
        }
        else
        {
            graph.Node.Add(Node("Mul", ["token_w", "mask_3d"], ["masked_w"]));
        }

        var sum = twoClasses ? "score" : "logits";
        graph.Node.Add(Node("ReduceSum", ["masked_w", "axis_sequence"], [sum], IntAttribute("keepdims", 0)));
        if (twoClasses)
        {
            graph.Node.Add(Node("Sub", ["score", "score"], ["zero"]));
            graph.Node.Add(Node("Concat", ["zero", "score"], ["logits"], IntAttribute("axis", 1)));
        }

        graph.Output.Add(FloatOutput("logits", twoClasses ? 2 : 1));
        var model = new ModelProto { IrVersion = 8, ProducerName = "skrerank-tests", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        return model;
    }

    internal static NodeProto Node(string opType, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = outputs[0] + "_" + opType };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        return node;
    }

    internal static AttributeProto IntAttribute(string name, long value) =>
        new() { Name = name, I = value, Type = AttributeProto.Types.AttributeType.Int };

    internal static TensorProto FloatTensor(string name, long[] dims, IEnumerable<float> values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        tensor.FloatData.AddRange(values);
        return tensor;
    }

    internal static TensorProto Int64Tensor(string name, long[] dims, IEnumerable<long> values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.AddRange(dims);
        tensor.Int64Data.AddRange(values);
        return tensor;
    }

    internal static ValueInfoProto TokenInput(string name) =>
        ValueInfo(name, TensorProto.Types.DataType.Int64, Symbolic("batch"), Symbolic("sequence"));

    private static ValueInfoProto FloatOutput(string name, long width) =>
        ValueInfo(name, TensorProto.Types.DataType.Float, Symbolic("batch"), new TensorShapeProto.Types.Dimension { DimValue = width });

    internal static TensorShapeProto.Types.Dimension Symbolic(string name) => new() { DimParam = name };

    internal static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, params TensorShapeProto.Types.Dimension[] dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.AddRange(dims);
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }
}
