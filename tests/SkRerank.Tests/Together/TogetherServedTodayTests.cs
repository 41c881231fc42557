using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using SkRerank.Embeddings;
using SkRerank.Indexing;
using SkRerank.Movies;
using SkRerank.Search;
using SkRerank.Tests.Support;
using SkRerank.Together;
using SkRerank.VectorStore;

namespace SkRerank.Tests.Together;

/// <summary>
/// Together as served today (2026): e5-large-instruct is the only serverless embedding model, every rerank model
/// needs a dedicated endpoint, and only Llama-Rank reads object documents.
/// </summary>
public class TogetherServedTodayTests
{
    private static readonly Movie[] Movies = MovieSearchFixture.SampleMovies;

    [Fact]
    public async Task A_plain_key_gets_working_embeddings_with_the_e5_query_instruction_on_queries_only()
    {
        await using var server = await FakeTogetherServer.StartAsync(serverlessOnly: true);
        using var clients = TogetherTestSetup.Create(server);

        var documents = await clients.EmbeddingGenerator.GenerateAsync(["The Dark Knight"]);
        await new QueryEmbeddingGenerator(clients.EmbeddingGenerator).GenerateAsync(["bats"]);

        Assert.Equal(1024, documents[0].Vector.Length);
        var inputs = server.Requests.Select(r => r.Json["input"]!.AsArray()[0]!.GetValue<string>()).ToList();
        Assert.Equal("The Dark Knight", inputs[0]);
        Assert.Equal(TogetherModels.E5InstructQueryPrefix + "bats", inputs[1]);
        Assert.StartsWith("Instruct: ", inputs[1]);
        Assert.All(server.Requests, r => Assert.Equal("intfloat/multilingual-e5-large-instruct", r.Model));
    }

    [Fact]
    public async Task Bge_base_is_still_selectable_by_name_and_gets_no_instruction()
    {
        await using var server = await FakeTogetherServer.StartAsync(serverlessOnly: true);
        server.StartDedicatedEndpoint(TogetherModels.BgeBaseEnV15);
        using var clients = TogetherTestSetup.Create(server, o => o.EmbeddingModel = TogetherModels.BgeBaseEnV15);

        var query = await new QueryEmbeddingGenerator(clients.EmbeddingGenerator).GenerateAsync(["bats"]);

        Assert.Equal(768, query[0].Vector.Length);
        Assert.Equal("bats", server.Requests.Single().Json["input"]!.AsArray()[0]!.GetValue<string>());
    }

    [Fact]
    public async Task Bge_base_on_a_plain_key_is_one_line_naming_the_serverless_model_and_the_flag()
    {
        await using var server = await FakeTogetherServer.StartAsync(serverlessOnly: true);
        using var clients = TogetherTestSetup.Create(server, o => o.EmbeddingModel = TogetherModels.BgeBaseEnV15);

        var error = await Assert.ThrowsAsync<TogetherException>(() => clients.EmbeddingGenerator.GenerateAsync(["x"]));

        Assert.Equal(TogetherErrorKind.ModelNotFound, error.Kind);
        Assert.Equal(400, error.StatusCode);
        Assert.Contains("'BAAI/bge-base-en-v1.5'", error.Message);
        Assert.Contains("intfloat/multilingual-e5-large-instruct", error.Message);
        Assert.Contains("--embedding-model", error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Equal(1, server.RequestCount);
    }

    [Theory]
    [InlineData("Salesforce/Llama-Rank-V1")]
    [InlineData("mixedbread-ai/Mxbai-Rerank-Large-V2")]
    public async Task Rerank_on_a_plain_key_says_which_model_that_it_needs_a_dedicated_endpoint_and_the_flag(string model)
    {
        await using var server = await FakeTogetherServer.StartAsync(serverlessOnly: true);
        using var clients = TogetherTestSetup.Create(server, o => o.RerankModel = model);

        var error = await Assert.ThrowsAsync<TogetherException>(() => clients.Reranker.RerankAsync("bats", ["a", "b"]));

        Assert.Equal(TogetherErrorKind.ModelNotFound, error.Kind);
        Assert.Equal("model_not_available", error.ErrorCode);
        Assert.Contains($"'{model}'", error.Message);
        Assert.Contains("dedicated endpoint", error.Message);
        Assert.Contains("--rerank-model", error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Equal(1, server.RequestCount); // a 400 is not retried
    }

    [Theory]
    [InlineData("Salesforce/Llama-Rank-V1")]
    [InlineData("Salesforce/Llama-Rank-v1")]
    public async Task Llama_rank_under_either_spelling_gets_object_documents_with_rank_fields(string model)
    {
        await using var server = await FakeTogetherServer.StartAsync(serverlessOnly: true);
        server.StartDedicatedEndpoint(model);
        using var clients = TogetherTestSetup.Create(server, o => o.RerankModel = model);

        var results = await clients.Reranker.RerankMoviesAsync("batman gotham", Movies, MovieTextFields.Title | MovieTextFields.Overview);

        Assert.Equal(Movies.Length, results.Count);
        var body = server.Requests.Single().Json;
        Assert.Equal(model, (string?)body["model"]);
        Assert.Equal(["title", "overview"], body["rank_fields"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.All(body["documents"]!.AsArray(), d => Assert.IsType<System.Text.Json.Nodes.JsonObject>(d));
        Assert.Contains("Batman", Movies[results[0].Index].Overview + Movies[results[0].Index].Title);
    }

    [Fact]
    public async Task Every_other_rerank_model_gets_plain_strings_even_from_the_object_overload()
    {
        await using var server = await FakeTogetherServer.StartAsync(serverlessOnly: true);
        server.StartDedicatedEndpoint(TogetherModels.MxbaiRerankLargeV2);
        using var clients = TogetherTestSetup.Create(server, o => o.RerankModel = TogetherModels.MxbaiRerankLargeV2);

        var movies = await clients.Reranker.RerankMoviesAsync("batman gotham", Movies);
        IReadOnlyDictionary<string, string>[] objects = [new Dictionary<string, string> { ["title"] = "Up", ["overview"] = "balloons" }, new Dictionary<string, string> { ["title"] = "Batman", ["overview"] = "Gotham" }];
        var fields = await clients.Reranker.RerankAsync("gotham", objects, ["overview", "title"]);

        Assert.Equal(Movies.Length, movies.Count);
        Assert.Equal(1, fields[0].Index);
        Assert.All(server.Requests, r =>
        {
            Assert.Null(r.Json["rank_fields"]);
            Assert.All(r.Json["documents"]!.AsArray(), d => Assert.Equal(System.Text.Json.JsonValueKind.String, d!.GetValueKind()));
        });
        Assert.Equal("Gotham\nBatman", server.Requests[^1].Json["documents"]!.AsArray()[1]!.GetValue<string>());
    }

    [Fact]
    public async Task Objects_sent_to_a_string_only_endpoint_are_refused_by_the_fake_as_by_together()
    {
        // Forcing objects shows why the default sends strings: the endpoint answers 400, surfaced as Together's reason.
        await using var server = await FakeTogetherServer.StartAsync();
        using var clients = TogetherTestSetup.Create(server, o => { o.RerankModel = TogetherModels.MxbaiRerankLargeV2; o.RerankDocuments = TogetherRerankDocuments.Objects; });

        var error = await Assert.ThrowsAsync<TogetherException>(() => clients.Reranker.RerankMoviesAsync("bats", Movies));

        Assert.Equal(TogetherErrorKind.InvalidRequest, error.Kind);
        Assert.Contains("list of strings", error.Message);
    }

    [Fact]
    public async Task A_dedicated_endpoint_on_its_own_base_url_gets_the_rerank_requests()
    {
        await using var embeddings = await FakeTogetherServer.StartAsync(serverlessOnly: true);
        await using var endpoint = await FakeTogetherServer.StartAsync();
        using var clients = TogetherTestSetup.Create(embeddings, o => o.RerankBaseUrl = endpoint.BaseUrl + "/");

        await clients.EmbeddingGenerator.GenerateAsync(["x"]);
        var results = await clients.Reranker.RerankAsync("bats", ["bats in Gotham", "balloons"]);

        Assert.Equal(0, results[0].Index);
        Assert.Equal(["embeddings"], embeddings.Requests.Select(r => r.Endpoint));
        Assert.Equal(["rerank"], endpoint.Requests.Select(r => r.Endpoint));
    }

    [Fact]
    public async Task With_fail_open_a_plain_key_still_answers_unreranked_and_says_why()
    {
        await using var server = await FakeTogetherServer.StartAsync(serverlessOnly: true);
        using var clients = TogetherTestSetup.Create(server);
        var search = await IndexedSearchAsync(clients);

        var response = await search.SearchAsync(new MovieSearchRequest { Query = "batman gotham", TopN = 2 });

        Assert.False(response.Reranked);
        Assert.Equal(2, response.Results.Count);
        Assert.Contains("Salesforce/Llama-Rank-V1", response.RerankError);
        Assert.Contains("dedicated endpoint", response.RerankError);
        Assert.Contains("--rerank-model", response.RerankError);
    }

    [Fact]
    public async Task A_slow_rerank_fails_open_when_the_time_budget_runs_out()
    {
        await using var server = await FakeTogetherServer.StartAsync();
        // Attempts of 60 s, 3 retries: without a budget this rerank would wait minutes.
        using var clients = TogetherTestSetup.Create(server, o => { o.Timeout = TimeSpan.FromSeconds(60); o.TotalTimeout = TimeSpan.FromMilliseconds(500); });
        var search = await IndexedSearchAsync(clients);
        server.Enqueue(new FakeFault(FakeFaultKind.Slow) { Endpoint = "rerank", Delay = TimeSpan.FromSeconds(30) }, times: 4);

        var response = await search.SearchAsync(new MovieSearchRequest { Query = "batman gotham", TopN = 2 });

        Assert.False(response.Reranked);
        Assert.Contains("within the 500 ms budget", response.RerankError);
        Assert.Contains("--timeout", response.RerankError);
        Assert.Single(server.Requests, r => r.Endpoint == "rerank"); // the budget, not the 60 s attempt limit, ended it
    }

    [Fact]
    public async Task Indexing_sends_full_batches_several_at_a_time()
    {
        await using var server = await FakeTogetherServer.StartAsync();
        server.Latency = TimeSpan.FromMilliseconds(50);
        using var clients = TogetherTestSetup.Create(server, o => { o.EmbeddingBatchSize = 4; o.MaxConcurrency = 3; });
        var movies = Enumerable.Range(0, 24).Select(i => new Movie { Id = i + 1, Title = $"Movie {i}", Overview = $"Overview {i}", Director = "D", Genres = ["Drama"] }).ToList();
        using var temp = new TempDirectory();
        using var cache = new DiskCachingEmbeddingGenerator(clients.EmbeddingGenerator, temp.Path);
        var collection = new InMemoryVectorStoreCollection<int, Movie>("movies", new InMemoryCollectionOptions { Definition = MovieCollectionDefinition.Create(1024) });

        await new MovieIndexer(collection, cache, new MovieCatalog()).IndexAsync(movies);

        Assert.Equal(Enumerable.Repeat(4, 6), server.Requests.Select(r => r.InputCount));
        Assert.Equal(3, server.PeakConcurrency); // 12 texts per indexer call (4 × 3), so three requests are in flight
    }

    private static async Task<MovieSearchService> IndexedSearchAsync(TogetherClients clients)
    {
        var collection = new InMemoryVectorStoreCollection<int, Movie>("movies", new InMemoryCollectionOptions
        {
            Definition = MovieCollectionDefinition.Create(1024, new QueryEmbeddingGenerator(clients.EmbeddingGenerator)),
        });
        var catalog = new MovieCatalog();
        await new MovieIndexer(collection, clients.EmbeddingGenerator, catalog).IndexAsync(Movies);
        return new MovieSearchService(collection, clients.EmbeddingGenerator, clients.Reranker, catalog, Options.Create(new MovieSearchOptions { Candidates = 6, FirstStage = FirstStageMode.Vector }));
    }
}
