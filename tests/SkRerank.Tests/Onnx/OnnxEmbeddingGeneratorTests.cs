using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.ML.OnnxRuntime;
using SkRerank.Embeddings;
using SkRerank.Onnx.Embeddings;

namespace SkRerank.Tests.Onnx;

public sealed class OnnxEmbeddingGeneratorTests(EmbeddingModelsFixture models) : IClassFixture<EmbeddingModelsFixture>
{
    private const string Arctic = "snowflake-arctic-embed-xs";
    private const string MiniLm = "all-MiniLM-L6-v2";
    private const string BatmanQuery = "a bat-themed detective superhero fights crime in Gotham";
    private const string BatmanDoc = "Batman\nBruce Wayne puts on the cape and cowl to fight the criminals of Gotham City as the masked vigilante Batman.";
    private const string RomanceDoc = "Notting Hill\nA London bookshop owner falls in love with a famous American actress who walks into his shop.";

    private static readonly EmbeddingGenerationOptions AsQuery = new EmbeddingGenerationOptions().WithInputType(EmbeddingInputType.Query);

    [Theory]
    [InlineData(Arctic)]
    [InlineData(MiniLm)]
    public async Task A_vector_equals_the_raw_model_run_on_hand_looked_up_token_ids_and_pooled_by_hand(string modelId)
    {
        var expected = RawEmbedding(modelId, ["[CLS]", "the", "cat", "sat", "on", "the", "mat", "[SEP]"]);

        var actual = await models.For(modelId).GenerateVectorAsync("The cat sat on the mat");

        Vectors.AssertClose(expected, actual.Span, 1e-5f);
    }

    [Theory]
    [InlineData(Arctic)]
    [InlineData(MiniLm)]
    public async Task A_query_about_a_bat_themed_detective_is_closer_to_Batman_than_to_a_romance(string modelId)
    {
        var generator = models.For(modelId);
        var query = await generator.GenerateVectorAsync(BatmanQuery, AsQuery);
        var docs = await generator.GenerateAsync([BatmanDoc, RomanceDoc]);

        var toBatman = Vectors.Cosine(query.Span, docs[0].Vector.Span);
        var toRomance = Vectors.Cosine(query.Span, docs[1].Vector.Span);

        Assert.True(toBatman > toRomance + 0.05f, $"cos(Batman) {toBatman} should beat cos(romance) {toRomance}.");
    }

    [Fact]
    public async Task Arctic_embeds_a_query_as_its_instruction_prefix_followed_by_the_text()
    {
        var asQuery = await models.Arctic.GenerateVectorAsync("space adventure", AsQuery);
        var asDocument = await models.Arctic.GenerateVectorAsync("space adventure");
        var prefixedDocument = await models.Arctic.GenerateVectorAsync(
            "Represent this sentence for searching relevant passages: space adventure");

        Assert.True(Vectors.Cosine(asQuery.Span, asDocument.Span) < 0.99f, "The prefix should move the query vector.");
        Vectors.AssertClose(prefixedDocument.Span, asQuery.Span, 1e-5f);
    }

    [Fact]
    public async Task MiniLm_is_symmetric_so_queries_and_documents_embed_alike()
    {
        var asQuery = await models.MiniLm.GenerateVectorAsync("space adventure", AsQuery);
        var asDocument = await models.MiniLm.GenerateVectorAsync("space adventure");

        Vectors.AssertClose(asDocument.Span, asQuery.Span, 1e-6f);
    }

    [Theory]
    [InlineData(Arctic)]
    [InlineData(MiniLm)]
    public async Task Padding_next_to_a_much_longer_text_does_not_change_a_vector(string modelId)
    {
        var generator = models.For(modelId);
        var longText = string.Join(' ', Enumerable.Repeat("The heist crew plans one last job in a city of neon and rain.", 20));

        var alone = await generator.GenerateVectorAsync("A quiet love story.");
        var batched = await generator.GenerateAsync(["A quiet love story.", longText]);

        Assert.True(generator.CountTokens(longText) > 10 * generator.CountTokens("A quiet love story."));
        Vectors.AssertClose(alone.Span, batched[0].Vector.Span, 1e-5f);
    }

    [Theory]
    [InlineData(Arctic)]
    [InlineData(MiniLm)]
    public async Task Every_vector_has_unit_length(string modelId)
    {
        var embeddings = await models.For(modelId).GenerateAsync([BatmanDoc, RomanceDoc, "", "x"]);

        Assert.All(embeddings, e => Assert.Equal(1f, Vectors.Norm(e.Vector.Span), 1e-5f));
    }

    [Fact]
    public async Task A_2000_word_text_is_cut_to_the_first_510_word_pieces_between_CLS_and_SEP()
    {
        // Every one of these words is a single word piece, so the manual cut is exact.
        string[] words = ["cat", "dog", "house", "river"];
        var text = string.Join(' ', Enumerable.Range(0, 2000).Select(i => words[i % words.Length]));
        var manuallyCut = string.Join(' ', Enumerable.Range(0, 510).Select(i => words[i % words.Length]));

        var full = await models.MiniLm.GenerateVectorAsync(text);
        var cut = await models.MiniLm.GenerateVectorAsync(manuallyCut);

        Assert.Equal(512, models.MiniLm.CountTokens(text));
        Assert.Equal(512, models.MiniLm.CountTokens(manuallyCut));
        Vectors.AssertClose(cut.Span, full.Span, 1e-5f);
    }

    [Fact]
    public async Task MaxTokens_cuts_inside_a_word_like_Hugging_Face_does()
    {
        using var generator = new OnnxEmbeddingGenerator(OnnxEmbeddingModel.MiniLmL6V2, new() { MaxTokens = 5 });
        // "unaffable" is una ##ffa ##ble: a 5-token budget keeps [CLS] alpha una ##ffa [SEP], not just the whole word "alpha".
        var expected = RawEmbedding(MiniLm, ["[CLS]", "alpha", "una", "##ffa", "[SEP]"]);

        var cut = await generator.GenerateVectorAsync("Alpha unaffable beta");

        Assert.Equal(5, generator.CountTokens("Alpha unaffable beta"));
        Vectors.AssertClose(expected, cut.Span, 1e-5f);
    }

    [Fact]
    public async Task An_empty_input_list_gives_an_empty_result()
    {
        var embeddings = await models.MiniLm.GenerateAsync([]);

        Assert.Empty(embeddings);
    }

    [Fact]
    public async Task Concurrent_calls_on_one_generator_give_identical_vectors()
    {
        string[] texts = [BatmanDoc, RomanceDoc, "Toy Story", "A long voyage across the Atlantic on an unsinkable ship."];
        var expected = await models.Arctic.GenerateAsync(texts);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => models.Arctic.GenerateAsync(texts))));

        foreach (var result in results)
            for (var i = 0; i < texts.Length; i++)
                Assert.True(expected[i].Vector.Span.SequenceEqual(result[i].Vector.Span), $"Text {i} differs.");
    }

    [Fact]
    public async Task Results_come_back_in_input_order_although_batches_are_sorted_by_length()
    {
        using var generator = new OnnxEmbeddingGenerator(OnnxEmbeddingModel.MiniLmL6V2, new() { BatchSize = 2 });
        string[] texts =
        [
            "Up",
            "An old man ties thousands of balloons to his house and flies away to South America.",
            "Jaws",
            "A shark terrorises a beach town.",
            "Alien: in space no one can hear you scream, and a crew finds that out the hard way.",
        ];

        var batched = await generator.GenerateAsync(texts);

        for (var i = 0; i < texts.Length; i++)
        {
            var alone = await generator.GenerateVectorAsync(texts[i]);
            Vectors.AssertClose(alone.Span, batched[i].Vector.Span, 1e-5f);
        }
    }

    [Theory]
    [InlineData(Arctic)]
    [InlineData(MiniLm)]
    public async Task Metadata_names_the_onnx_provider_the_model_and_384_dimensions(string modelId)
    {
        var generator = models.For(modelId);
        var embeddings = await generator.GenerateAsync(["Heat"]);

        Assert.Equal("onnx", generator.Metadata.ProviderName);
        Assert.Equal(modelId, generator.Metadata.DefaultModelId);
        Assert.Equal(384, generator.Metadata.DefaultModelDimensions);
        Assert.Same(generator.Metadata, generator.GetService<EmbeddingGeneratorMetadata>());
        Assert.Equal(modelId, embeddings[0].ModelId);
        Assert.Equal(384, embeddings[0].Dimensions);
    }

    [Fact]
    public async Task Usage_counts_the_tokens_the_model_read()
    {
        string[] texts = [BatmanDoc, RomanceDoc];

        var embeddings = await models.Arctic.GenerateAsync(texts, AsQuery);

        var expected = texts.Sum(t => models.Arctic.CountTokens(t, EmbeddingInputType.Query));
        Assert.Equal(expected, embeddings.Usage?.InputTokenCount);
        // The query prefix is 8 word pieces: represent this sentence for searching relevant passages :
        Assert.Equal(models.Arctic.CountTokens(BatmanDoc) + 8, models.Arctic.CountTokens(BatmanDoc, EmbeddingInputType.Query));
    }

    [Fact]
    public async Task Asking_for_another_vector_size_is_refused()
    {
        await Assert.ThrowsAsync<NotSupportedException>(
            () => models.MiniLm.GenerateAsync(["Heat"], new EmbeddingGenerationOptions { Dimensions = 768 }));
    }

    [Fact]
    public async Task A_cancelled_call_throws_OperationCanceledException()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => models.MiniLm.GenerateAsync(["Heat"], cancellationToken: cts.Token));
    }

    [Fact]
    public async Task A_model_from_files_on_disk_embeds_like_the_packaged_one()
    {
        var folder = Directory.CreateTempSubdirectory("skrerank-onnx-");
        try
        {
            var modelPath = Path.Combine(folder.FullName, "model.onnx");
            var vocabPath = Path.Combine(folder.FullName, "vocab.txt");
            await File.WriteAllBytesAsync(modelPath, EmbeddingModelsFixture.ReadResource(MiniLm, "model.onnx"));
            await File.WriteAllBytesAsync(vocabPath, EmbeddingModelsFixture.ReadResource(MiniLm, "vocab.txt"));
            using var generator = new OnnxEmbeddingGenerator(
                OnnxEmbeddingModel.FromFiles("my-minilm", modelPath, vocabPath, EmbeddingPooling.Mean));

            var fromFiles = await generator.GenerateVectorAsync(RomanceDoc);
            var packaged = await models.MiniLm.GenerateVectorAsync(RomanceDoc);

            Assert.Equal("my-minilm", generator.Metadata.DefaultModelId);
            Vectors.AssertClose(packaged.Span, fromFiles.Span, 1e-6f);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_model_from_a_missing_file_is_refused_up_front()
    {
        var missing = Path.Combine(Path.GetTempPath(), "skrerank-no-such-folder", "model.onnx");

        var error = Assert.Throws<FileNotFoundException>(
            () => OnnxEmbeddingModel.FromFiles("x", missing, missing, EmbeddingPooling.Cls));
        Assert.Contains(missing, error.Message);
    }

    [Fact]
    public async Task AddOnnxEmbeddingGenerator_registers_one_configured_generator()
    {
        var services = new ServiceCollection();
        services.AddOnnxEmbeddingGenerator(OnnxEmbeddingModel.MiniLmL6V2, o => o.MaxTokens = 8);
        await using var provider = services.BuildServiceProvider();

        var generator = provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        var onnx = generator.GetService<OnnxEmbeddingGenerator>();

        Assert.Same(generator, provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>());
        Assert.NotNull(onnx);
        Assert.Equal(8, onnx.CountTokens(BatmanDoc));
        Assert.Equal(384, (await generator.GenerateVectorAsync("Heat")).Length);
    }

    /// <summary>
    /// The independent reference: ids looked up line by line in the package's vocab.txt, ONNX Runtime called directly,
    /// CLS (arctic) or mean (MiniLM) pooling and L2 normalisation by hand.
    /// </summary>
    private static float[] RawEmbedding(string modelId, string[] tokens)
    {
        var vocab = System.Text.Encoding.UTF8.GetString(EmbeddingModelsFixture.ReadResource(modelId, "vocab.txt"))
            .Split("\r\n").ToList();
        var ids = tokens.Select(t => (long)vocab.IndexOf(t)).ToArray();
        Assert.DoesNotContain(-1L, ids);

        using var session = new InferenceSession(EmbeddingModelsFixture.ReadResource(modelId, "model.onnx"));
        long[] shape = [1, ids.Length];
        using var inputIds = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var mask = OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat(1L, ids.Length).ToArray(), shape);
        using var types = OrtValue.CreateTensorValueFromMemory(new long[ids.Length], shape);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(
            runOptions,
            ["input_ids", "attention_mask", "token_type_ids"],
            [inputIds, mask, types],
            ["last_hidden_state"]);
        var hidden = outputs[0].GetTensorDataAsSpan<float>();
        var vector = new float[384];
        if (modelId == Arctic)
        {
            hidden[..384].CopyTo(vector);
        }
        else
        {
            for (var t = 0; t < ids.Length; t++)
                for (var d = 0; d < 384; d++) vector[d] += hidden[t * 384 + d] / ids.Length;
        }

        var norm = Vectors.Norm(vector);
        for (var d = 0; d < 384; d++) vector[d] /= norm;
        return vector;
    }
}
