using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.Embeddings;
using SkRerank.DependencyInjection;
using SkRerank.Embeddings;
using SkRerank.Together;

namespace SkRerank.Tests.Together;

public class TogetherEmbeddingGeneratorTests
{
    private static List<string> Texts(int count) =>
        Enumerable.Range(0, count).Select(i => $"movie {i} about {(i % 3 == 0 ? "bats and crime" : i % 3 == 1 ? "space travel" : "a quiet romance")} number {i * 7}").ToList();

    [Fact]
    public async Task Embeds_in_batches_concurrently_and_keeps_input_order()
    {
        await using var server = await FakeTogetherServer.StartAsync();
        server.Latency = TimeSpan.FromMilliseconds(60);
        using var clients = TogetherTestSetup.Create(server, o => { o.EmbeddingBatchSize = 8; o.MaxConcurrency = 3; });
        var texts = Texts(100);

        var embeddings = await clients.EmbeddingGenerator.GenerateAsync(texts);

        Assert.Equal(100, embeddings.Count);
        for (var i = 0; i < texts.Count; i++)
        {
            Assert.Equal(FakeTogetherServer.Embed(texts[i], 1024), embeddings[i].Vector.ToArray());
        }

        var requests = server.Requests;
        Assert.Equal(13, requests.Count);
        Assert.Equal(12, requests.Count(r => r.InputCount == 8));
        Assert.Equal(1, requests.Count(r => r.InputCount == 4));
        Assert.InRange(server.PeakConcurrency, 2, 3);
        Assert.All(embeddings, e => Assert.Equal("intfloat/multilingual-e5-large-instruct", e.ModelId));
        Assert.NotNull(embeddings.Usage);
        Assert.True(embeddings.Usage!.InputTokenCount > 0);
    }

    [Fact]
    public async Task Sends_the_documented_request()
    {
        await using var server = await FakeTogetherServer.StartAsync();
        using var clients = TogetherTestSetup.Create(server);

        await clients.EmbeddingGenerator.GenerateAsync(["The Dark Knight", "Up"]);

        var request = Assert.Single(server.Requests);
        Assert.Equal("embeddings", request.Endpoint);
        Assert.Equal("POST", request.Method);
        Assert.Equal("Bearer " + server.ApiKey, request.Authorization);
        Assert.StartsWith("application/json", request.ContentType);
        Assert.Equal("intfloat/multilingual-e5-large-instruct", (string?)request.Json["model"]);
        Assert.Equal(["The Dark Knight", "Up"], request.Json["input"]!.AsArray().Select(n => (string?)n));
    }

    [Fact]
    public async Task Orders_results_by_index_and_tolerates_extra_fields()
    {
        await using var server = await FakeTogetherServer.StartAsync();
        using var clients = TogetherTestSetup.Create(server);
        server.Enqueue(new FakeFault(FakeFaultKind.ShuffledOrder));
        server.Enqueue(new FakeFault(FakeFaultKind.ExtraFields));
        var texts = Texts(5);

        var shuffled = await clients.EmbeddingGenerator.GenerateAsync(texts);
        var extra = await clients.EmbeddingGenerator.GenerateAsync(texts);

        for (var i = 0; i < texts.Count; i++)
        {
            Assert.Equal(FakeTogetherServer.Embed(texts[i], 1024), shuffled[i].Vector.ToArray());
            Assert.Equal(shuffled[i].Vector.ToArray(), extra[i].Vector.ToArray());
        }
    }

    [Fact]
    public async Task Cosine_similarity_of_the_fake_embeddings_tracks_shared_words()
    {
        await using var server = await FakeTogetherServer.StartAsync();
        using var clients = TogetherTestSetup.Create(server);
        var result = await clients.EmbeddingGenerator.GenerateAsync(["super hero action movie about bats", "a masked hero fights crime with bats", "two friends open a bakery"]);
        var query = result[0].Vector.Span;
        var related = System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(query, result[1].Vector.Span);
        var unrelated = System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(query, result[2].Vector.Span);
        Assert.True(related > unrelated);
    }

    [Fact]
    public async Task Metadata_reports_provider_model_and_dimensions()
    {
        await using var server = await FakeTogetherServer.StartAsync();
        using var clients = TogetherTestSetup.Create(server);
        IEmbeddingGenerator<string, Embedding<float>> generator = clients.EmbeddingGenerator;

        var metadata = generator.GetService<EmbeddingGeneratorMetadata>();

        Assert.NotNull(metadata);
        Assert.Equal("together", metadata!.ProviderName);
        Assert.Equal("intfloat/multilingual-e5-large-instruct", metadata.DefaultModelId);
        Assert.Equal(1024, metadata.DefaultModelDimensions);
        Assert.Equal(new Uri(server.BaseUrl), metadata.ProviderUri);
        Assert.Equal(0, server.RequestCount);
    }

    [Fact]
    public async Task Learns_the_dimensions_of_an_unknown_model_from_the_first_response()
    {
        await using var server = await FakeTogetherServer.StartAsync();
        using var clients = TogetherTestSetup.Create(server, o => o.EmbeddingModel = "test/tiny-embed");
        Assert.Null(clients.EmbeddingGenerator.Dimensions);

        Assert.Equal(16, await clients.EmbeddingGenerator.GetDimensionsAsync());
        Assert.Equal(16, clients.EmbeddingGenerator.Metadata.DefaultModelDimensions);
        var embeddings = await clients.EmbeddingGenerator.GenerateAsync(["a", "b"]);
        Assert.All(embeddings, e => Assert.Equal(16, e.Vector.Length));
    }

    [Fact]
    public async Task Empty_input_sends_nothing()
    {
        await using var server = await FakeTogetherServer.StartAsync();
        using var clients = TogetherTestSetup.Create(server);
        Assert.Empty(await clients.EmbeddingGenerator.GenerateAsync([]));
        Assert.Equal(0, server.RequestCount);
    }

    [Fact]
    public async Task Queries_get_the_configured_instruction_and_documents_do_not()
    {
        await using var server = await FakeTogetherServer.StartAsync();
        const string instruction = "Represent this sentence for searching relevant passages: ";
        using var clients = TogetherTestSetup.Create(server, o => o.QueryInstruction = instruction);

        await new QueryEmbeddingGenerator(clients.EmbeddingGenerator).GenerateAsync(["bats"]);
        await clients.EmbeddingGenerator.GenerateAsync(["The Dark Knight"]);

        var inputs = server.Requests.Select(r => (string?)r.Json["input"]![0]).ToList();
        Assert.Equal([instruction + "bats", "The Dark Knight"], inputs);
    }

    [Fact]
    public async Task Requested_dimensions_that_the_model_cannot_produce_are_refused()
    {
        await using var server = await FakeTogetherServer.StartAsync();
        using var clients = TogetherTestSetup.Create(server);
        var error = await Assert.ThrowsAsync<ArgumentException>(() => clients.EmbeddingGenerator.GenerateAsync(["x"], new EmbeddingGenerationOptions { Dimensions = 256 }));
        Assert.Contains("1024", error.Message);
        Assert.Equal(0, server.RequestCount);
    }

    [Fact]
    public async Task Serves_SKs_ITextEmbeddingGenerationService_through_a_kernel()
    {
        await using var server = await FakeTogetherServer.StartAsync();
        var kernel = Kernel.CreateBuilder()
            .AddTogether(o =>
            {
                o.ApiKey = server.ApiKey;
                o.BaseUrl = server.BaseUrl;
            })
            .Build();

        var service = kernel.GetRequiredService<ITextEmbeddingGenerationService>();
        var vectors = await service.GenerateEmbeddingsAsync(["Heat", "Up"], kernel);

        Assert.Equal(2, vectors.Count);
        Assert.Equal(FakeTogetherServer.Embed("Up", 1024), vectors[1].ToArray());
        Assert.Equal("intfloat/multilingual-e5-large-instruct", service.Attributes[Microsoft.SemanticKernel.Services.AIServiceExtensions.ModelIdKey]);
        Assert.Equal(1024, service.GetDimensions());
        Assert.Same(service, kernel.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>());
        Assert.IsType<TogetherReranker>(kernel.GetRequiredService<SkRerank.Reranking.IReranker>());
    }

    [Fact]
    public async Task Registers_once_however_often_AddTogether_is_called()
    {
        await using var server = await FakeTogetherServer.StartAsync();
        var services = new ServiceCollection();
        services.AddTogetherEmbeddingGenerator(o => { o.ApiKey = server.ApiKey; o.BaseUrl = server.BaseUrl; });
        services.AddTogetherReranker(o => o.MaxRetries = 1);
        using var provider = services.BuildServiceProvider();
        server.Enqueue(FakeFault.Http(503), times: 5);

        var error = await Assert.ThrowsAsync<TogetherException>(() => provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>().GenerateAsync(["x"]));

        // One resilience handler (not two stacked), configured by both calls: MaxRetries 1 gives 2 attempts.
        Assert.Equal(2, error.Attempts);
        Assert.Equal(2, server.RequestCount);
    }
}
