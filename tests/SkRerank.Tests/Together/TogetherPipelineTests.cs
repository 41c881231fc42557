using Microsoft.Extensions.Options;
using Microsoft.Extensions.VectorData;
using Microsoft.SemanticKernel;
using SkRerank.Embeddings;
using SkRerank.Indexing;
using SkRerank.Movies;
using SkRerank.Plugin;
using SkRerank.Search;
using SkRerank.Tests.Support;
using SkRerank.VectorStore;

namespace SkRerank.Tests.Together;

/// <summary>The cookbook's pipeline on the Together provider: SK vector store collection, then search_movies on a Kernel.</summary>
public class TogetherPipelineTests
{
    private static async Task<(InMemoryVectorStoreCollection<int, Movie> Collection, MovieCatalog Catalog)> IndexAsync(SkRerank.Together.TogetherClients clients)
    {
        var collection = new InMemoryVectorStoreCollection<int, Movie>("movies", new InMemoryCollectionOptions
        {
            Definition = MovieCollectionDefinition.Create(1024, new QueryEmbeddingGenerator(clients.EmbeddingGenerator)),
        });
        var catalog = new MovieCatalog();
        await new MovieIndexer(collection, clients.EmbeddingGenerator, catalog).IndexAsync(MovieSearchFixture.SampleMovies);
        return (collection, catalog);
    }

    [Fact]
    public async Task A_string_search_on_the_collection_is_embedded_through_together()
    {
        await using var server = await FakeTogetherServer.StartAsync();
        using var clients = TogetherTestSetup.Create(server);
        var (collection, _) = await IndexAsync(clients);
        server.ResetRecording();

        var hits = await collection.SearchAsync("shark terrorizes a beach town", 2).ToListAsync();

        Assert.Equal("Jaws", hits[0].Record.Title);
        var request = Assert.Single(server.Requests);
        Assert.Equal("embeddings", request.Endpoint);
        Assert.Equal("intfloat/multilingual-e5-large-instruct", request.Model);
        Assert.Equal(1, request.InputCount);
    }

    [Fact]
    public async Task Search_movies_on_a_kernel_reranks_with_llama_rank()
    {
        await using var server = await FakeTogetherServer.StartAsync();
        using var clients = TogetherTestSetup.Create(server);
        var (collection, catalog) = await IndexAsync(clients);
        var search = new MovieSearchService(collection, clients.EmbeddingGenerator, clients.Reranker, catalog, Options.Create(new MovieSearchOptions { Candidates = 6 }));
        var kernel = Kernel.CreateBuilder().Build();
        kernel.Plugins.AddFromObject(new MovieSearchPlugin(search), MovieSearchPlugin.PluginName);
        server.ResetRecording();

        var result = await kernel.InvokeAsync(MovieSearchPlugin.PluginName, "search_movies", new KernelArguments { ["query"] = "batman gotham", ["top_n"] = 2 });

        var hits = result.GetValue<IReadOnlyList<MovieSearchHit>>()!;
        Assert.Equal(2, hits.Count);
        Assert.All(hits, h => Assert.True(h.Reranked));
        Assert.All(hits, h => Assert.Contains("Batman", h.Overview + h.Title));
        var rerank = Assert.Single(server.Requests, r => r.Endpoint == "rerank");
        Assert.Equal("Salesforce/Llama-Rank-V1", rerank.Model);
        var body = rerank.Json;
        Assert.Equal(2, (int)body["top_n"]!);
        Assert.Equal(6, body["documents"]!.AsArray().Count);
        Assert.Contains(body["documents"]!.AsArray(), d => d!.GetValue<string>().Contains("Gotham")); // overview text, not titles only
    }

    [Fact]
    public async Task When_llama_rank_fails_search_movies_falls_back_visibly()
    {
        await using var server = await FakeTogetherServer.StartAsync();
        using var clients = TogetherTestSetup.Create(server, o => o.MaxRetries = 1);
        var (collection, catalog) = await IndexAsync(clients);
        var search = new MovieSearchService(collection, clients.EmbeddingGenerator, clients.Reranker, catalog, Options.Create(new MovieSearchOptions { Candidates = 6 }));
        var plugin = new MovieSearchPlugin(search);
        server.Enqueue(new FakeFault(FakeFaultKind.Status) { Endpoint = "rerank", StatusCode = 503, Message = "overloaded" }, times: 5);

        var response = await search.SearchAsync(new MovieSearchRequest { Query = "batman gotham", TopN = 3 });
        var hits = await plugin.SearchMoviesAsync("batman gotham", 3);

        Assert.False(response.Reranked);
        Assert.NotNull(response.RerankError);
        Assert.Equal(response.Candidates.Take(3).Select(c => c.Movie.Id), response.Results.Select(r => r.Movie.Id));
        Assert.All(hits, h => Assert.False(h.Reranked));
    }
}
