using OpenTelemetry.Trace;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.VectorData;
using Microsoft.SemanticKernel;
using SkRerank.DependencyInjection;
using SkRerank.Indexing;
using SkRerank.Movies;
using SkRerank.Plugin;
using SkRerank.Reranking;
using SkRerank.Search;
using SkRerank.Tests.Support;
using SkRerank.VectorStore;

namespace SkRerank.Tests.DependencyInjection;

public sealed class MovieSearchRegistrationTests
{
    [Fact]
    public async Task KernelBuilder_AddMovieSearch_puts_the_plugin_in_the_kernel_and_searches_after_explicit_indexing()
    {
        var builder = Kernel.CreateBuilder();
        builder.Services.AddEmbeddingGenerator(new HashingEmbeddingGenerator(256));
        builder.AddMovieSearch(o => o.FirstStage = FirstStageMode.Vector);
        var kernel = builder.Build();

        var function = kernel.Plugins[MovieSearchPlugin.PluginName]["search_movies"];
        Assert.Equal(["query", "top_n", "genre", "director"], function.Metadata.Parameters.Select(p => p.Name));

        // Nothing is indexed as a side effect of building or resolving.
        var collection = kernel.Services.GetRequiredService<VectorStoreCollection<int, Movie>>();
        Assert.IsType<InMemoryVectorStoreCollection<int, Movie>>(collection);
        Assert.False(await collection.CollectionExistsAsync());

        var movies = await MovieSubset.LoadAsync();
        var indexer = kernel.Services.GetRequiredService<MovieIndexer>();
        await indexer.IndexAsync(movies);
        await indexer.IndexAsync(movies); // idempotent: same records, same count

        var count = 0;
        await foreach (var _ in collection.GetAsync(_ => true, 1000)) count++;
        Assert.Equal(movies.Count, count);

        var result = await kernel.InvokeAsync(function, new KernelArguments { ["query"] = "Batman Gotham Joker", ["top_n"] = 3 });
        var hits = result.GetValue<IReadOnlyList<MovieSearchHit>>()!;
        Assert.Equal(3, hits.Count);
        Assert.Contains(hits, h => h.Title is "The Dark Knight" or "Batman Begins" or "The Dark Knight Rises");
        Assert.All(hits, h => Assert.False(h.Reranked)); // no reranker registered
    }

    [Fact]
    public async Task Builder_choices_are_keyed_so_the_application_keeps_its_own_generator_and_reranker()
    {
        var appGenerator = new HashingEmbeddingGenerator(32, "app-model");
        var searchGenerator = new HashingEmbeddingGenerator(64, "movie-model");
        var ownCollection = new InMemoryVectorStoreCollection<int, Movie>("mine", new InMemoryCollectionOptions
        {
            Definition = MovieCollectionDefinition.Create(64),
        });
        var reranker = new ReverseTitleReranker();

        var services = new ServiceCollection();
        services.AddEmbeddingGenerator(appGenerator);
        services.AddSingleton<IReranker>(new ReverseTitleReranker("app-reranker"));
        services.AddMovieSearch()
            .UseEmbeddingGenerator(searchGenerator)
            .UseCollection(ownCollection)
            .UseReranker(reranker)
            .Configure(o => o.FirstStage = FirstStageMode.Vector);
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        await provider.GetRequiredService<MovieIndexer>().IndexAsync(await MovieSubset.LoadAsync(20));
        Assert.True(await ownCollection.CollectionExistsAsync());
        Assert.Equal(0, appGenerator.Calls);
        Assert.True(searchGenerator.Calls > 0);

        var search = provider.GetRequiredService<MovieSearchService>();
        Assert.Same(reranker, search.Reranker);
        var response = await search.SearchAsync(new MovieSearchRequest { Query = "space adventure", TopN = 3 });
        Assert.True(response.Reranked);
        Assert.Equal("test/reverse-title", $"{response.Reranker!.ProviderName}/{response.Reranker.ModelId}");
        // The application's registrations are untouched.
        Assert.Same(appGenerator, provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>());
        Assert.Equal("app-reranker", provider.GetRequiredService<IReranker>().Metadata.ModelId);
    }

    [Fact]
    public async Task Unkeyed_registrations_are_used_when_no_builder_choice_is_made()
    {
        var generator = new HashingEmbeddingGenerator(64);
        var reranker = new ReverseTitleReranker();
        var services = new ServiceCollection();
        services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(generator);
        services.AddSingleton<IReranker>(reranker);
        services.AddMovieSearch();
        await using var provider = services.BuildServiceProvider();

        Assert.Same(reranker, provider.GetRequiredService<MovieSearchService>().Reranker);
        // The default collection takes the generator's dimensions (64, not the attribute's 384).
        var movies = await MovieSubset.LoadAsync(10);
        await provider.GetRequiredService<MovieIndexer>().IndexAsync(movies);
        var hit = await provider.GetRequiredService<VectorStoreCollection<int, Movie>>().GetAsync(movies[0].Id, new RecordRetrievalOptions { IncludeVectors = true });
        Assert.Equal(64, hit!.Embedding!.Value.Length);
    }

    [Fact]
    public void Calling_twice_registers_one_plugin_and_accumulates_options()
    {
        var builder = Kernel.CreateBuilder();
        builder.Services.AddEmbeddingGenerator(new HashingEmbeddingGenerator(64));
        builder.AddMovieSearch(o => o.Candidates = 40);
        builder.Services.AddMovieSearch(o => o.TopN = 7);
        var kernel = builder.Build();

        Assert.Single(kernel.Plugins);
        var options = kernel.Services.GetRequiredService<MovieSearchService>().Options;
        Assert.Equal(40, options.Candidates);
        Assert.Equal(7, options.TopN);
    }

    [Fact]
    public void Missing_embedding_generator_says_how_to_register_one()
    {
        var services = new ServiceCollection();
        services.AddMovieSearch();
        using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<MovieSearchService>());
        Assert.Contains("IEmbeddingGenerator", error.Message);
        Assert.Contains("AddLocalMovieSearch", error.Message);
    }

    [Fact]
    public void Invalid_options_are_rejected_when_the_search_is_resolved()
    {
        var services = new ServiceCollection();
        services.AddEmbeddingGenerator(new HashingEmbeddingGenerator(64));
        services.AddMovieSearch(o => o.TopN = 50);
        using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<MovieSearchService>());
        Assert.Contains("TopN", error.Message);
    }

    [Fact]
    public async Task Local_one_liner_wires_cached_onnx_embeddings_and_the_fusion_reranker_warmed_at_indexing()
    {
        using var temp = new TempDirectory();
        var builder = Kernel.CreateBuilder();
        builder.AddLocalMovieSearch(o => o.CacheDirectory = temp.Path);
        var kernel = builder.Build();

        var movies = await MovieSubset.LoadAsync(30);
        var report = await kernel.Services.GetRequiredService<MovieIndexer>().IndexAsync(movies);
        Assert.Equal(384, report.Dimensions);
        // Both models' document vectors are on disk after indexing: arctic (first stage) and MiniLM (reranker warm-up).
        var cacheFiles = Directory.GetFiles(Path.Combine(temp.Path, "embeddings"), "*.skvec").Select(Path.GetFileName).Order().ToList();
        Assert.Equal(2, cacheFiles.Count);
        // MiniLM's token vectors (late interaction) are kept beside them.
        Assert.Single(Directory.GetFiles(Path.Combine(temp.Path, "tokens"), "*.skrtok"));

        var result = await kernel.InvokeAsync(MovieSearchPlugin.PluginName, "search_movies",
            new KernelArguments { ["query"] = "super hero mystery action movie about bats", ["top_n"] = 3 });
        var hits = result.GetValue<IReadOnlyList<MovieSearchHit>>()!;
        Assert.Equal(3, hits.Count);
        Assert.All(hits, h => Assert.True(h.Reranked));
        // The small offline models find Batman films for "bats" (Batman v Superman here), though not always The Dark Knight.
        Assert.Contains(hits, h => h.Overview.Contains("Batman", StringComparison.Ordinal));

        var search = kernel.Services.GetRequiredService<MovieSearchService>();
        Assert.Equal("local", search.Reranker!.Metadata.ProviderName);
        // The measured recipe: late interaction and feedback in the reranker, 150 candidates, every field embedded.
        Assert.Contains("all-MiniLM-L6-v2-maxsim", search.Reranker.Metadata.ModelId, StringComparison.Ordinal);
        Assert.Contains("prf(3,1)", search.Reranker.Metadata.ModelId, StringComparison.Ordinal);
        Assert.Equal(150, search.Options.Candidates);
        Assert.Equal(MovieTextFields.All, search.Options.EmbeddingFields);
        Assert.Equal(MovieTextFields.All, kernel.Services.GetRequiredService<MovieIndexer>().EmbeddingFields);
        // Its signals (embeddings, BM25) cannot read "not X": the local reranker scores the wanted part of a query only.
        string[] documents = ["Twilight: a teen romance between a girl and a vampire.", "Scary vampires hunt a village at night."];
        Assert.Equal(
            await search.Reranker.RerankAsync("scary vampire movies", documents),
            await search.Reranker.RerankAsync("scary vampire movies, not teen romance like Twilight", documents));
        // The application has no unkeyed generator: the local one is the movie search's own.
        Assert.Null(kernel.Services.GetService<IEmbeddingGenerator<string, Embedding<float>>>());
        Assert.NotNull(kernel.Services.GetKeyedService<IEmbeddingGenerator<string, Embedding<float>>>(MovieSearchBuilder.ServiceKey));
    }

    [Fact]
    public async Task Together_one_liner_uses_together_embeddings_and_reranker()
    {
        await using var server = await Together.FakeTogetherServer.StartAsync();
        using var temp = new TempDirectory();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddTogetherMovieSearch(o =>
        {
            o.ApiKey = server.ApiKey;
            o.BaseUrl = server.BaseUrl;
        }, cacheDirectory: temp.Path).Configure(o => o.FirstStage = FirstStageMode.Vector);
        await using var provider = services.BuildServiceProvider();

        var report = await provider.GetRequiredService<MovieIndexer>().IndexAsync(await MovieSubset.LoadAsync(20));
        Assert.Equal(1024, report.Dimensions); // the serverless default, intfloat/multilingual-e5-large-instruct
        var response = await provider.GetRequiredService<MovieSearchService>().SearchAsync(new MovieSearchRequest { Query = "dark knight batman", TopN = 3 });
        Assert.True(response.Reranked);
        Assert.Equal("together", response.Reranker!.ProviderName);
        Assert.Contains(server.Requests, r => r.Endpoint.EndsWith("rerank", StringComparison.Ordinal));
        Assert.Single(Directory.GetFiles(Path.Combine(temp.Path, "embeddings"), "*.skvec"));
        // Together keeps the cookbook's recipe: 25 candidates, title + overview + tagline embedded.
        var options = provider.GetRequiredService<MovieSearchService>().Options;
        Assert.Equal(25, options.Candidates);
        Assert.Equal(MovieTextFields.Default, provider.GetRequiredService<MovieIndexer>().EmbeddingFields);
    }

    [Fact]
    public async Task A_registered_search_embeds_the_query_in_a_gen_ai_span_under_the_embed_query_stage()
    {
        var services = new ServiceCollection();
        services.AddEmbeddingGenerator(new HashingEmbeddingGenerator(64));
        services.AddMovieSearch(o => o.FirstStage = FirstStageMode.Vector).UseNoReranker();
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<MovieIndexer>().IndexAsync(await MovieSubset.LoadAsync(10));

        var spans = new List<System.Diagnostics.Activity>();
        using var testSource = new System.Diagnostics.ActivitySource("skrerank-di-tests");
        using (var tracing = global::OpenTelemetry.Sdk.CreateTracerProviderBuilder()
            .AddSource(SkRerank.Telemetry.SkRerankTelemetry.ActivitySourceName, "skrerank-di-tests")
            .AddInMemoryExporter(spans)
            .Build())
        {
            using var test = testSource.StartActivity("test");
            await provider.GetRequiredService<MovieSearchService>().SearchAsync(new MovieSearchRequest { Query = "a heist with a twist", TopN = 3 });
            test!.Stop();
            tracing.ForceFlush();
            spans.RemoveAll(s => s.TraceId != test.TraceId);
        }

        // Microsoft.Extensions.AI's OpenTelemetryEmbeddingGenerator, on the SkRerank source (gen_ai semantic conventions).
        var embedQuery = Assert.Single(spans, s => s.OperationName == SkRerank.Telemetry.SkRerankTelemetry.Spans.EmbedQuery);
        var embedding = Assert.Single(spans, s => s.ParentSpanId == embedQuery.SpanId);
        Assert.Equal("embeddings", embedding.GetTagItem("gen_ai.operation.name"));
    }

    [Fact]
    public void An_applications_own_candidate_count_wins_over_the_local_rerankers_default()
    {
        var services = new ServiceCollection();
        services.AddLocalMovieSearch(o => o.CacheEmbeddings = false).Configure(o => o.Candidates = 40);
        using var provider = services.BuildServiceProvider();

        Assert.Equal(40, provider.GetRequiredService<IOptions<MovieSearchOptions>>().Value.Candidates);
    }

    /// <summary>Orders documents by reverse title, so a test can tell its order from the first stage's.</summary>
    private sealed class ReverseTitleReranker(string modelId = "reverse-title") : IReranker
    {
        public object? GetService(Type serviceType, object? serviceKey = null) => serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;
        public void Dispose() { }

        public RerankerMetadata Metadata { get; } = new("test", modelId);

        public Task<IReadOnlyList<RerankResult>> RerankAsync(string query, IReadOnlyList<string> documents, RerankOptions? options = null, CancellationToken cancellationToken = default)
        {
            IReadOnlyList<RerankResult> results = documents
                .Select((d, i) => (d, i))
                .OrderByDescending(x => x.d, StringComparer.Ordinal)
                .Select((x, rank) => new RerankResult(x.i, 1.0 / (rank + 1)))
                .Take(options?.TopN ?? documents.Count)
                .ToList();
            return Task.FromResult(results);
        }
    }
}
