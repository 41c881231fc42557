using System.Text.Json;
using Google.Protobuf;
using SkRerank.Onnx.Quantization.Proto;
using SkRerank.Tests.Onnx;

namespace SkRerank.Tests.HuggingFace;

/// <summary>
/// A tiny sentence-transformers model in the Hugging Face repository layout, whose vectors a test can work out by hand:
/// the graph outputs each token's fixed 3-d vector (<c>last_hidden_state = table[input_ids] * attention_mask</c>), so
/// pooling, prompts, truncation and normalization are all visible in the result.
/// </summary>
internal static class TinySentenceTransformer
{
    /// <summary>Vocabulary in id order with each token's vector.</summary>
    public static readonly (string Token, float[] Vector)[] Vocabulary =
    [
        ("[PAD]", [100, 100, 100]), ("[UNK]", [0, 0, 1]), ("[CLS]", [1, 0, 0]), ("[SEP]", [0, 1, 0]), ("[MASK]", [0, 0, 0]),
        ("query", [0, 0, 3]), (":", [0, 0, 1]), ("bat", [4, 1, 0]), ("##man", [2, 2, 0]), ("knight", [3, 0, 1]),
        ("dark", [1, 0, 2]), ("love", [-3, 1, 0]), ("paris", [-1, 2, 2]), ("the", [0, 1, 1]),
    ];

    public const string QueryPrompt = "query: ";

    public static float[] Vector(string token) => Vocabulary.Single(v => v.Token == token).Vector;

    /// <summary>The mean of the tokens' vectors, scaled to unit length when <paramref name="normalize"/>.</summary>
    public static float[] MeanOf(IEnumerable<string> tokens, bool normalize = true)
    {
        var list = tokens.ToList();
        var sum = new float[3];
        foreach (var token in list)
        {
            var v = Vector(token);
            for (var i = 0; i < 3; i++) sum[i] += v[i] / list.Count;
        }

        return normalize ? Normalized(sum) : sum;
    }

    public static float[] Normalized(float[] v)
    {
        var norm = MathF.Sqrt(v.Sum(x => x * x));
        return v.Select(x => x / norm).ToArray();
    }

    /// <summary>
    /// The files of the repository, by path: an ST export with mean pooling, Normalize, a query prompt and max length 8.
    /// <paramref name="graphPaddingBytes"/> pads the graph with an unused initializer, so that it is large enough for the
    /// CLI to show its download progress (small files are not shown); the vectors stay the same.
    /// </summary>
    public static Dictionary<string, byte[]> Files(bool withConfig = true, string pooling = "mean", bool normalize = true, int graphPaddingBytes = 0)
    {
        var model = BuildModel();
        if (graphPaddingBytes > 0)
        {
            model.Graph.Initializer.Add(TinyCrossEncoder.FloatTensor("padding", [graphPaddingBytes / sizeof(float)], new float[graphPaddingBytes / sizeof(float)]));
        }

        var files = new Dictionary<string, byte[]>
        {
            ["onnx/model.onnx"] = model.ToByteArray(),
            ["vocab.txt"] = System.Text.Encoding.UTF8.GetBytes(string.Join('\n', Vocabulary.Select(v => v.Token)) + "\n"),
        };
        if (!withConfig) return files;
        var modules = new List<object>
        {
            new { idx = 0, name = "0", path = "", type = "sentence_transformers.models.Transformer" },
            new { idx = 1, name = "1", path = "1_Pooling", type = "sentence_transformers.models.Pooling" },
        };
        if (normalize) modules.Add(new { idx = 2, name = "2", path = "2_Normalize", type = "sentence_transformers.models.Normalize" });
        files["modules.json"] = Json(modules);
        files["1_Pooling/config.json"] = Json(new Dictionary<string, object>
        {
            ["word_embedding_dimension"] = 3,
            ["pooling_mode_cls_token"] = pooling == "cls",
            ["pooling_mode_mean_tokens"] = pooling == "mean",
            ["pooling_mode_max_tokens"] = pooling == "max",
            ["pooling_mode_mean_sqrt_len_tokens"] = false,
        });
        files["config_sentence_transformers.json"] = Json(new { prompts = new { query = QueryPrompt, document = "" }, default_prompt_name = (string?)null });
        files["sentence_bert_config.json"] = Json(new { max_seq_length = 8, do_lower_case = false });
        files["tokenizer_config.json"] = Json(new { do_lower_case = true, model_max_length = 512 });
        return files;
    }

    private static byte[] Json(object value) => JsonSerializer.SerializeToUtf8Bytes(value);

    private static ModelProto BuildModel()
    {
        var graph = new GraphProto { Name = "tiny-sentence-transformer" };
        graph.Input.Add(TinyCrossEncoder.TokenInput("input_ids"));
        graph.Input.Add(TinyCrossEncoder.TokenInput("attention_mask"));
        graph.Initializer.Add(TinyCrossEncoder.FloatTensor("table", [Vocabulary.Length, 3], Vocabulary.SelectMany(v => v.Vector)));
        graph.Initializer.Add(TinyCrossEncoder.Int64Tensor("axis_last", [1], [2]));
        graph.Node.Add(TinyCrossEncoder.Node("Gather", ["table", "input_ids"], ["token_vectors"], TinyCrossEncoder.IntAttribute("axis", 0)));
        graph.Node.Add(TinyCrossEncoder.Node("Cast", ["attention_mask"], ["mask_f"], TinyCrossEncoder.IntAttribute("to", (int)TensorProto.Types.DataType.Float)));
        graph.Node.Add(TinyCrossEncoder.Node("Unsqueeze", ["mask_f", "axis_last"], ["mask_3d"]));
        graph.Node.Add(TinyCrossEncoder.Node("Mul", ["token_vectors", "mask_3d"], ["last_hidden_state"]));
        graph.Output.Add(TinyCrossEncoder.ValueInfo(
            "last_hidden_state", TensorProto.Types.DataType.Float,
            TinyCrossEncoder.Symbolic("batch"), TinyCrossEncoder.Symbolic("sequence"), new TensorShapeProto.Types.Dimension { DimValue = 3 }));
        var model = new ModelProto { IrVersion = 8, ProducerName = "skrerank-tests", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        return model;
    }
}
