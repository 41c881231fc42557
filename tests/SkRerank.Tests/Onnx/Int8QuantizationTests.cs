using System.Numerics.Tensors;
using Google.Protobuf;
using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntime;
using SkRerank.Embeddings;
using SkRerank.Onnx.Embeddings;
using SkRerank.Onnx.Quantization;
using SkRerank.Tests.Support;
using Lib = SkRerank.Onnx.Quantization.Proto;

namespace SkRerank.Tests.Onnx;

public sealed class Int8QuantizationTests(EmbeddingModelsFixture models) : IClassFixture<EmbeddingModelsFixture>
{
    private const string Arctic = "snowflake-arctic-embed-xs";
    private const int Int8 = 3;

    private static readonly EmbeddingGenerationOptions AsQuery = new EmbeddingGenerationOptions().WithInputType(EmbeddingInputType.Query);

    [Fact]
    public void Every_linear_layer_of_arctic_becomes_int8_and_ONNX_Runtime_fuses_each_into_one_int8_kernel()
    {
        var quantized = DynamicInt8Quantizer.Quantize(EmbeddingModelsFixture.ReadResource(Arctic, "model.onnx"));

        var graph = Lib.ModelProto.Parser.ParseFrom(quantized.Bytes).Graph;
        var initializers = graph.Initializer.ToDictionary(t => t.Name);
        // 6 layers x (Q, K, V, attention output, feed-forward in, feed-forward out).
        Assert.Equal(36, quantized.QuantizedMatMuls);
        Assert.DoesNotContain(graph.Node, n => n.OpType == "MatMul" && initializers.ContainsKey(n.Input[1]));
        var integer = graph.Node.Where(n => n.OpType == "MatMulInteger").ToList();
        Assert.Equal(36, integer.Count);
        Assert.All(integer, n => Assert.Equal(Int8, initializers[n.Input[1]].DataType));
        // What stays float: attention scores and mixing, which multiply two activations.
        Assert.Equal(12, graph.Node.Count(n => n.OpType == "MatMul"));
        // Q, K and V read one input, quantized once: 4 distinct inputs per layer.
        Assert.Equal(24, graph.Node.Count(n => n.OpType == "DynamicQuantizeLinear"));

        using var temp = new TempDirectory();
        var optimizedPath = temp.File("optimized.onnx");
        using (var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, OptimizedModelFilePath = optimizedPath })
        using (new InferenceSession(quantized.Bytes, options))
        {
        }

        var optimized = Lib.ModelProto.Parser.ParseFrom(File.ReadAllBytes(optimizedPath)).Graph.Node.Select(n => n.OpType).ToList();
        Assert.Equal(36, optimized.Count(op => op is "MatMulIntegerToFloat" or "DynamicQuantizeMatMul"));
        Assert.DoesNotContain("MatMulInteger", optimized);
        Assert.Equal(12, optimized.Count(op => op is "MatMul" or "FusedMatMul"));
    }

    [Fact]
    public void The_message_subset_writes_the_packaged_model_back_byte_for_byte()
    {
        var original = EmbeddingModelsFixture.ReadResource(Arctic, "model.onnx");

        var written = Lib.ModelProto.Parser.ParseFrom(original).ToByteArray();

        Assert.True(original.AsSpan().SequenceEqual(written), "Parsing and writing the model with the subset changed its bytes.");
    }

    [Fact]
    public void Fields_the_message_subset_does_not_declare_survive_quantization()
    {
        // ModelProto.doc_string (6) and model_version (5) are not in the subset, so they travel as unknown fields.
        var model = TinyLinearModel().ToByteArray()
            .Concat(Field(6, "written by a test")).Concat(new byte[] { 5 << 3, 42 }).ToArray();

        var quantized = DynamicInt8Quantizer.Quantize(model).Bytes;

        var fields = TopLevelFields(quantized);
        Assert.Equal("written by a test", fields[6].ToStringUtf8());
        Assert.True(fields.ContainsKey(5));
    }

    [Fact]
    public void A_linear_layer_computes_what_the_float_one_does_within_int8_precision_with_its_weight_quantized_once()
    {
        var floatModel = TinyLinearModel().ToByteArray();

        var quantized = DynamicInt8Quantizer.Quantize(floatModel);

        var graph = Lib.ModelProto.Parser.ParseFrom(quantized.Bytes).Graph;
        Assert.Equal(2, quantized.QuantizedMatMuls);
        Assert.DoesNotContain(graph.Initializer, t => t.Name == "W");
        Assert.Single(graph.Initializer, t => t.DataType == Int8 && t.Dims.Count == 2);
        Assert.Single(graph.Node, n => n.OpType == "DynamicQuantizeLinear");
        // PyTorch's Add(bias, x·W) becomes Add(x·W, bias), the order ONNX Runtime folds into the int8 kernel.
        Assert.Equal("b", graph.Node.Single(n => n.OpType == "Add").Input[1]);

        var input = new float[4 * 16];
        var random = new Random(3);
        for (var i = 0; i < input.Length; i++) input[i] = random.NextSingle() * 4 - 2;
        foreach (var output in new[] { "y", "z" })
        {
            var expected = Run(floatModel, input, output);
            var actual = Run(quantized.Bytes, input, output);
            var scale = expected.Max(MathF.Abs);
            for (var i = 0; i < expected.Length; i++)
                Assert.True(MathF.Abs(expected[i] - actual[i]) <= 0.03f * scale, $"{output}[{i}]: float {expected[i]}, int8 {actual[i]}.");
        }
    }

    [Theory]
    [InlineData(Arctic, 0.99f, 0.995f)]
    [InlineData("all-MiniLM-L6-v2", 0.96f, 0.985f)]
    public async Task Int8_vectors_of_movie_texts_point_where_the_fp32_ones_do(string modelId, float minimum, float mean)
    {
        // Measured on these 120 movies: min 0.9974 (arctic), 0.9865 (MiniLM); on 300: means 0.998 and 0.992, and 7-bit
        // weights with one scale per matrix instead of per column fall to 0.95 (arctic), which these bounds catch.
        var texts = (await MovieSubset.LoadAsync(120)).Select(m => m.ToEmbeddingText()).ToList();

        var fp32 = await models.For(modelId).GenerateAsync(texts);
        var int8 = await models.For(modelId + "-int8").GenerateAsync(texts);

        var cosines = fp32.Zip(int8, (a, b) => Vectors.Cosine(a.Vector.Span, b.Vector.Span)).ToList();
        Assert.True(cosines.Min() >= minimum, $"min cosine {cosines.Min():F4} < {minimum}");
        Assert.True(cosines.Average() >= mean, $"mean cosine {cosines.Average():F4} < {mean}");
    }

    [Fact]
    public async Task Arctic_int8_ranks_movies_for_a_query_much_as_fp32_does()
    {
        var movies = await MovieSubset.LoadAsync(200);
        var texts = movies.Select(m => m.ToEmbeddingText()).ToList();
        string[] queries =
        [
            "super hero mystery action movie about bats", "a heist that goes wrong", "animated film about toys that come alive",
            "space exploration and time dilation", "romantic comedy in new york", "vampire movies", "a shark terrorizes a beach town",
            "wizards and a school of magic", "war drama in the trenches", "a robot learns to love",
        ];

        var fp32Ranking = await Ranking(models.Arctic, texts);
        var int8Ranking = await Ranking(models.ArcticInt8, texts);

        var overlaps = new List<int>();
        var sameFirst = 0;
        foreach (var query in queries)
        {
            var fp32 = await fp32Ranking(query);
            var int8 = await int8Ranking(query);
            overlaps.Add(fp32.Intersect(int8).Count());
            if (fp32[0] == int8[0]) sameFirst++;
        }

        // Measured: 9.3 of 10 on average, never below 9.
        Assert.True(overlaps.Average() >= 8, $"top-10 overlap {overlaps.Average():F1} of 10 (per query: {string.Join(", ", overlaps)})");
        Assert.True(sameFirst >= 8, $"the same first movie for {sameFirst} of {queries.Length} queries");
    }

    [Fact]
    public void A_cached_model_is_reused_and_a_damaged_one_is_rebuilt()
    {
        using var temp = new TempDirectory();
        var path = temp.File("models/tiny.skq");
        var quantizations = 0;
        byte[] Quantize()
        {
            quantizations++;
            return DynamicInt8Quantizer.Quantize(TinyLinearModel().ToByteArray()).Bytes;
        }

        var built = QuantizedModelCache.Load(path, "key", Quantize, out var first);
        var reused = QuantizedModelCache.Load(path, "key", Quantize, out var second);
        Assert.Equal((QuantizedModelCache.Outcome.Built, QuantizedModelCache.Outcome.Reused, 1), (first, second, quantizations));
        Assert.Equal(built, reused);

        // One flipped byte in the model, a cut-off file, or another source's key: each is quantized again.
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(path, bytes);
        QuantizedModelCache.Load(path, "key", Quantize, out var afterFlip);
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..^10]);
        QuantizedModelCache.Load(path, "key", Quantize, out var afterCut);
        QuantizedModelCache.Load(path, "another key", Quantize, out var afterKeyChange);
        Assert.All(new[] { afterFlip, afterCut, afterKeyChange }, outcome => Assert.Equal(QuantizedModelCache.Outcome.Rebuilt, outcome));
        Assert.Equal(4, quantizations);
        Assert.Equal(built, QuantizedModelCache.Load(path, "another key", Quantize, out var last));
        Assert.Equal(QuantizedModelCache.Outcome.Reused, last);
    }

    [Fact]
    public async Task A_quantized_model_is_written_to_the_cache_folder_once_and_a_corrupted_file_is_replaced()
    {
        using var temp = new TempDirectory();
        var model = OnnxEmbeddingModel.MiniLmL6V2.Quantized(temp.Path);
        ReadOnlyMemory<float> expected;
        using (var generator = new OnnxEmbeddingGenerator(model)) expected = await generator.GenerateVectorAsync("a heist that goes wrong");
        var file = Assert.Single(Directory.GetFiles(Path.Combine(temp.Path, "models")));
        var written = File.GetLastWriteTimeUtc(file);

        using (var generator = new OnnxEmbeddingGenerator(model)) await generator.GenerateVectorAsync("warm");
        Assert.Equal(written, File.GetLastWriteTimeUtc(file));

        File.WriteAllBytes(file, File.ReadAllBytes(file)[..1000]);
        using (var generator = new OnnxEmbeddingGenerator(model))
        {
            var rebuilt = await generator.GenerateVectorAsync("a heist that goes wrong");
            Vectors.AssertClose(expected.Span, rebuilt.Span, 1e-6f);
        }
        Assert.NotNull(QuantizedModelCache.TryRead(file, ReadKey(file)));
    }

    [Fact]
    public void Int8_models_have_their_own_model_id_so_disk_caches_of_fp32_and_int8_vectors_never_mix()
    {
        using var temp = new TempDirectory();

        Assert.Equal("snowflake-arctic-embed-xs-int8", OnnxEmbeddingModel.ArcticEmbedXsInt8.ModelId);
        Assert.Equal("all-MiniLM-L6-v2-int8", OnnxEmbeddingModel.MiniLmL6V2Int8.ModelId);
        Assert.True(OnnxEmbeddingModel.ArcticEmbedXsInt8.IsQuantized);
        Assert.Same(OnnxEmbeddingModel.ArcticEmbedXsInt8, OnnxEmbeddingModel.ArcticEmbedXsInt8.Quantized());
        using var fp32 = new DiskCachingEmbeddingGenerator(models.Arctic, temp.Path);
        using var int8 = new DiskCachingEmbeddingGenerator(models.ArcticInt8, temp.Path);
        Assert.NotEqual(fp32.FilePath, int8.FilePath);
        Assert.Equal("snowflake-arctic-embed-xs-int8", models.ArcticInt8.Metadata.DefaultModelId);
    }

    [Fact]
    public async Task Queries_and_documents_keep_their_prefixes_in_int8()
    {
        var asQuery = await models.ArcticInt8.GenerateVectorAsync("space adventure", AsQuery);
        var prefixed = await models.ArcticInt8.GenerateVectorAsync("Represent this sentence for searching relevant passages: space adventure");

        Vectors.AssertClose(prefixed.Span, asQuery.Span, 1e-5f);
    }

    [Fact]
    public void A_graph_without_a_linear_layer_is_refused_rather_than_relabelled_int8()
    {
        using var temp = new TempDirectory();
        TinyCrossEncoder.Write(temp.Path);
        var noMatMul = File.ReadAllBytes(Path.Combine(temp.Path, "model.onnx"));

        var direct = Assert.Throws<NotSupportedException>(() => DynamicInt8Quantizer.Quantize(noMatMul));
        Assert.Contains("nothing to quantize", direct.Message);
        var model = OnnxEmbeddingModel.FromFiles("tiny", Path.Combine(temp.Path, "model.onnx"), Path.Combine(temp.Path, "vocab.txt"), EmbeddingPooling.Cls)
            .Quantized(temp.Path);
        Assert.Equal("tiny-int8", model.ModelId);
        Assert.Throws<NotSupportedException>(() => new OnnxEmbeddingGenerator(model));
        Assert.False(Directory.Exists(Path.Combine(temp.Path, "models")) && Directory.EnumerateFiles(Path.Combine(temp.Path, "models")).Any());
    }

    [Fact]
    public void Models_that_cannot_be_quantized_are_refused_with_the_reason()
    {
        Assert.Throws<InvalidDataException>(() => DynamicInt8Quantizer.Quantize("not a model"u8.ToArray()));
        Assert.Throws<InvalidDataException>(() => DynamicInt8Quantizer.Quantize([]));
        var old = Assert.Throws<NotSupportedException>(() => DynamicInt8Quantizer.Quantize(TinyLinearModel(opset: 10).ToByteArray()));
        Assert.Contains("opset 10", old.Message);
        var twice = Assert.Throws<NotSupportedException>(() => DynamicInt8Quantizer.Quantize(DynamicInt8Quantizer.Quantize(TinyLinearModel().ToByteArray()).Bytes));
        Assert.Contains("already quantized", twice.Message);
    }

    // Embeds the documents once; the returned function gives a query's ten nearest documents.
    private static async Task<Func<string, Task<int[]>>> Ranking(IEmbeddingGenerator<string, Embedding<float>> generator, IReadOnlyList<string> texts)
    {
        var docs = await generator.GenerateAsync(texts);
        return async query =>
        {
            var q = (await generator.GenerateAsync([query], AsQuery))[0].Vector;
            return docs.Select((d, i) => (Score: TensorPrimitives.Dot(q.Span, d.Vector.Span), Index: i))
                .OrderByDescending(x => x.Score).Take(10).Select(x => x.Index).ToArray();
        };
    }

    private static float[] Run(byte[] model, float[] input, string output)
    {
        using var session = new InferenceSession(model);
        using var x = OrtValue.CreateTensorValueFromMemory(input, [input.Length / 16, 16]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["x"], [x], [output]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private static string ReadKey(string file)
    {
        using var reader = new BinaryReader(File.OpenRead(file));
        reader.ReadBytes(8);
        reader.ReadInt32();
        return reader.ReadString();
    }

    /// <summary>
    /// y = Add(b, x·W) as PyTorch writes a linear layer, and z = x·W reading the same weight, with W in float_data
    /// (the packaged models use raw_data), written with the tests' own message subset.
    /// </summary>
    private static Lib.ModelProto TinyLinearModel(long opset = 13)
    {
        var random = new Random(11);
        var graph = new Lib.GraphProto { Name = "tiny-linear" };
        graph.Input.Add(FloatValue("x", "batch", 16));
        graph.Output.Add(FloatValue("y", "batch", 8));
        graph.Output.Add(FloatValue("z", "batch", 8));
        var weight = new Lib.TensorProto { Name = "W", DataType = 1, Dims = { 16, 8 } };
        for (var i = 0; i < 16 * 8; i++) weight.FloatData.Add(random.NextSingle() - 0.5f);
        var bias = new Lib.TensorProto { Name = "b", DataType = 1, Dims = { 8 } };
        for (var i = 0; i < 8; i++) bias.FloatData.Add(random.NextSingle());
        graph.Initializer.Add(weight);
        graph.Initializer.Add(bias);
        graph.Node.Add(new Lib.NodeProto { OpType = "MatMul", Name = "linear", Input = { "x", "W" }, Output = { "h" } });
        graph.Node.Add(new Lib.NodeProto { OpType = "Add", Name = "bias", Input = { "b", "h" }, Output = { "y" } });
        graph.Node.Add(new Lib.NodeProto { OpType = "MatMul", Name = "again", Input = { "x", "W" }, Output = { "z" } });
        var model = new Lib.ModelProto { IrVersion = 7, ProducerName = "skrerank-tests", Graph = graph };
        model.OpsetImport.Add(new Lib.OperatorSetIdProto { Domain = "", Version = opset });
        return model;
    }

    private static Lib.ValueInfoProto FloatValue(string name, string rows, long columns) => new()
    {
        Name = name,
        Type = new Lib.TypeProto
        {
            TensorType = new Lib.TypeProto.Types.Tensor
            {
                ElemType = 1,
                Shape = new Lib.TensorShapeProto
                {
                    Dim = { new Lib.TensorShapeProto.Types.Dimension { DimParam = rows }, new Lib.TensorShapeProto.Types.Dimension { DimValue = columns } },
                },
            },
        },
    };

    private static byte[] Field(int number, string value)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        output.WriteTag(number, WireFormat.WireType.LengthDelimited);
        output.WriteString(value);
        output.Flush();
        return stream.ToArray();
    }

    // The top-level fields of a message by number (the last one of each), read without any schema.
    private static Dictionary<int, ByteString> TopLevelFields(byte[] message)
    {
        var fields = new Dictionary<int, ByteString>();
        var input = new CodedInputStream(message);
        for (uint tag; (tag = input.ReadTag()) != 0;)
        {
            var number = WireFormat.GetTagFieldNumber(tag);
            switch (WireFormat.GetTagWireType(tag))
            {
                case WireFormat.WireType.Varint: fields[number] = ByteString.CopyFrom(BitConverter.GetBytes(input.ReadInt64())); break;
                case WireFormat.WireType.LengthDelimited: fields[number] = input.ReadBytes(); break;
                default: input.SkipLastField(); break;
            }
        }
        return fields;
    }
}
