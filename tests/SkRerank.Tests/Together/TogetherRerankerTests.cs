using SkRerank.Movies;
using SkRerank.Reranking;
using SkRerank.Together;

namespace SkRerank.Tests.Together;

public class TogetherRerankerTests
{
    private static readonly string[] Documents =
    [
        "Up: an old man ties balloons to his house",
        "The Dark Knight: Batman fights crime in Gotham, a city of bats",
        "Batman Begins: a hero learns to face his fear of bats",
        "Notting Hill: a bookseller meets a movie star",
    ];

    [Fact]
    public async Task Returns_top_n_best_first_with_indexes_into_the_documents()
    {
        await using var server = await FakeTogetherServer.StartAsync();
        using var clients = TogetherTestSetup.Create(server);

        var results = await clients.Reranker.RerankAsync("hero movie about bats", Documents, new RerankOptions { TopN = 2 });

        Assert.Equal(2, results.Count);
        Assert.Equal(2, results[0].Index);
        Assert.Equal(1, results[1].Index);
        Assert.True(results[0].RelevanceScore >= results[1].RelevanceScore);
        Assert.Equal(FakeTogetherServer.Score("hero movie about bats", Documents[2]), results[0].RelevanceScore, 9);

        var body = Assert.Single(server.Requests).Json;
        Assert.Equal("Salesforce/Llama-Rank-V1", (string?)body["model"]);
        Assert.Equal("hero movie about bats", (string?)body["query"]);
        Assert.Equal(2, (int?)body["top_n"]);
        Assert.False((bool?)body["return_documents"]);
        Assert.Equal(Documents, body["documents"]!.AsArray().Select(d => (string?)d));
        Assert.Null(body["rank_fields"]);
    }

    [Fact]
    public async Task Without_top_n_every_document_comes_back_and_top_n_is_not_sent()
    {
        await using var server = await FakeTogetherServer.StartAsync();
        using var clients = TogetherTestSetup.Create(server);
        server.Enqueue(new FakeFault(FakeFaultKind.ShuffledOrder));

        var results = await clients.Reranker.RerankAsync("bats", Documents);

        Assert.Equal(4, results.Count);
        Assert.Equal([0, 1, 2, 3], results.Select(r => r.Index).Order());
        Assert.Equal(results.OrderByDescending(r => r.RelevanceScore).Select(r => r.RelevanceScore), results.Select(r => r.RelevanceScore));
        Assert.False(Assert.Single(server.Requests).Json.ContainsKey("top_n"));
    }

    [Fact]
    public async Task Object_documents_are_ranked_by_the_named_rank_fields()
    {
        await using var server = await FakeTogetherServer.StartAsync();
        using var clients = TogetherTestSetup.Create(server);
        IReadOnlyDictionary<string, string>[] documents =
        [
            new Dictionary<string, string> { ["title"] = "Bats", ["overview"] = "A quiet story" },
            new Dictionary<string, string> { ["title"] = "Quiet", ["overview"] = "Bats everywhere" },
        ];

        var byOverview = await clients.Reranker.RerankAsync("bats", documents, ["overview"], new RerankOptions { TopN = 1 });

        Assert.Equal(1, Assert.Single(byOverview).Index);
        var body = Assert.Single(server.Requests).Json;
        Assert.Equal(["overview"], body["rank_fields"]!.AsArray().Select(f => (string?)f));
        Assert.Equal("Bats", (string?)body["documents"]![0]!["title"]);
    }

    [Fact]
    public async Task Movies_go_as_title_overview_and_tagline_text_or_as_objects_with_rank_fields()
    {
        await using var server = await FakeTogetherServer.StartAsync();
        Movie[] movies =
        [
            new() { Title = "Up", Overview = "An old man flies his house.", Tagline = "Adventure is out there" },
            new() { Title = "The Dark Knight", Overview = "Batman raises the stakes in his war on crime.", Tagline = "Why so serious?" },
        ];

        using (var text = TogetherTestSetup.Create(server, o => o.RerankDocuments = TogetherRerankDocuments.Text))
        {
            var results = await text.Reranker.RerankMoviesAsync("war on crime", movies);
            Assert.Equal(1, results[0].Index);
        }

        using (var objects = TogetherTestSetup.Create(server, o => o.RerankDocuments = TogetherRerankDocuments.Objects))
        {
            var results = await objects.Reranker.RerankMoviesAsync("war on crime", movies, options: new RerankOptions { TopN = 1 });
            Assert.Equal(1, Assert.Single(results).Index);
        }

        var asText = server.Requests[0].Json;
        Assert.Equal("The Dark Knight\nBatman raises the stakes in his war on crime.\nWhy so serious?", (string?)asText["documents"]![1]);
        var asObjects = server.Requests[1].Json;
        Assert.Equal(["title", "overview", "tagline"], asObjects["rank_fields"]!.AsArray().Select(f => (string?)f));
        Assert.Equal("Why so serious?", (string?)asObjects["documents"]![1]!["tagline"]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(-1)]
    public async Task Top_n_outside_1_to_the_document_count_is_rejected_before_sending(int topN)
    {
        await using var server = await FakeTogetherServer.StartAsync();
        using var clients = TogetherTestSetup.Create(server);

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => clients.Reranker.RerankAsync("bats", Documents, new RerankOptions { TopN = topN }));

        Assert.Contains("top_n", error.Message);
        Assert.Contains("4", error.Message);
        Assert.Equal(0, server.RequestCount);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task An_empty_query_is_rejected_before_sending(string query)
    {
        await using var server = await FakeTogetherServer.StartAsync();
        using var clients = TogetherTestSetup.Create(server);
        await Assert.ThrowsAsync<ArgumentException>(() => clients.Reranker.RerankAsync(query, Documents));
        Assert.Equal(0, server.RequestCount);
    }

    [Fact]
    public async Task No_documents_means_no_request()
    {
        await using var server = await FakeTogetherServer.StartAsync();
        using var clients = TogetherTestSetup.Create(server);
        Assert.Empty(await clients.Reranker.RerankAsync("bats", []));
        Assert.Equal(0, server.RequestCount);
    }

    [Fact]
    public async Task The_model_can_be_chosen_per_call_and_metadata_names_the_default()
    {
        await using var server = await FakeTogetherServer.StartAsync();
        using var clients = TogetherTestSetup.Create(server);
        Assert.Equal(new RerankerMetadata("together", "Salesforce/Llama-Rank-V1"), clients.Reranker.Metadata);

        await clients.Reranker.RerankAsync("bats", Documents, new RerankOptions { ModelId = "test/tiny-rerank" });

        Assert.Equal("test/tiny-rerank", Assert.Single(server.Requests).Model);
    }

    [Fact]
    public async Task Speaks_text_embeddings_inference_when_told_to()
    {
        await using var server = await FakeTogetherServer.StartAsync();
        using var clients = TogetherTestSetup.Create(server, o =>
        {
            o.BaseUrl = server.TeiBaseUrl;
            o.RerankProtocol = TogetherRerankProtocol.TextEmbeddingsInference;
            o.RerankModel = "BAAI/bge-reranker-base";
            o.ProviderName = "tei";
        });

        var results = await clients.Reranker.RerankAsync("hero movie about bats", Documents, new RerankOptions { TopN = 2 });

        Assert.Equal([2, 1], results.Select(r => r.Index));
        var body = Assert.Single(server.Requests).Json;
        Assert.Equal(Documents, body["texts"]!.AsArray().Select(d => (string?)d));
        Assert.Equal("tei", clients.Reranker.Metadata.ProviderName);
    }
}
