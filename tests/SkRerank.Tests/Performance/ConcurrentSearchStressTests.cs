using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using SkRerank.Embeddings;
using SkRerank.Indexing;
using SkRerank.Movies;
using SkRerank.Plugin;
using SkRerank.Reranking;
using SkRerank.Search;
using SkRerank.Tests.Support;
using SkRerank.Tests.VectorStore;
using SkRerank.VectorStore;

namespace SkRerank.Tests.Performance;

/// <summary>
/// Eight callers on one kernel, each running every query many times in its own order, must get exactly the answers one
/// caller gets alone: the shared query caches (with runs shared in flight), the reranker's head start (when on), the concurrent
/// signals and the store's read lock must not mix up requests. Deterministic stand-in models, slowed a little so that
/// runs overlap, keep it fast; the offline defaults' structure (hybrid first stage, fusion of two embedding models and
/// BM25) is the same.
/// </summary>
public sealed class ConcurrentSearchStressTests
{
    [Theory]
    [InlineData(false, TestStores.Memory)]
    [InlineData(true, TestStores.Memory)]
    [InlineData(true, TestStores.Postgres)]
    public async Task Eight_concurrent_callers_get_the_sequential_answers(bool rerankerQueryHeadStart, string store)
    {
        var movies = await MovieDataset.LoadAsync(SharedData.MoviesJson ?? throw new InvalidOperationException("shared movies.json is missing"));
        var firstStage = new QueryEmbeddingCache(new SlowGenerator(new HashingEmbeddingGenerator(64, "stage-one")));
        var second = new QueryEmbeddingCache(new SlowGenerator(new HashingEmbeddingGenerator(48, "second-model")));
        using var collection = await TestStores.CreateAsync<int, Movie>(store, MovieCollectionDefinition.Create(64), HybridFusionMethod.WeightedZScore, MovieSearchOptions.DefaultKeywordWeight);
        var catalog = new MovieCatalog();
        await new MovieIndexer(collection, firstStage, catalog).IndexAsync(movies);
        var reranker = new SignalFusionReranker(
        [
            (new EmbeddingSimilaritySignal(firstStage), 1.0),
            (new EmbeddingSimilaritySignal(second), 1.0),
            (new LexicalSignal(), 0.5),
        ]);
        await reranker.WarmUpAsync(movies.Select(m => MovieText.Compose(m, MovieTextFields.All)).ToList());
        var service = new MovieSearchService(collection, firstStage, reranker, catalog, Options.Create(new MovieSearchOptions { RerankerQueryHeadStart = rerankerQueryHeadStart }));
        var kernel = Kernel.CreateBuilder().Build();
        kernel.Plugins.AddFromObject(new MovieSearchPlugin(service), MovieSearchPlugin.PluginName);
        var searchMovies = kernel.Plugins[MovieSearchPlugin.PluginName]["search_movies"];

        var requests = movies.Take(40).Select((m, i) => (Query: m.Tagline ?? m.Title, Genre: i % 4 == 0 ? m.Genres.FirstOrDefault() : null)).ToList();
        async Task<string> AnswerAsync((string Query, string? Genre) request)
        {
            var arguments = new KernelArguments { ["query"] = request.Query, ["top_n"] = 10 };
            if (request.Genre is not null) arguments["genre"] = request.Genre;
            var hits = (await searchMovies.InvokeAsync(kernel, arguments)).GetValue<IReadOnlyList<MovieSearchHit>>()!;
            return string.Join(", ", hits.Select(h => $"{h.Id}:{h.RelevanceScore:R}:{h.VectorScore:R}:{h.Reranked}"));
        }

        var expected = new List<string>();
        foreach (var request in requests) expected.Add(await AnswerAsync(request));
        firstStage.Clear();
        second.Clear();

        var mismatches = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(caller => Task.Run(async () =>
        {
            var random = new Random(caller);
            // PGlite runs every statement of every connection on one WebAssembly thread: one round already overlaps 8 callers.
            for (var round = 0; round < (store == TestStores.Postgres ? 1 : 3); round++)
            {
                foreach (var i in Enumerable.Range(0, requests.Count).OrderBy(_ => random.Next()))
                {
                    // Now and then forget the cached queries, so that callers race to embed the same query again.
                    if (random.Next(20) == 0) (random.Next(2) == 0 ? firstStage : second).Clear();
                    var actual = await AnswerAsync(requests[i]);
                    if (actual != expected[i]) mismatches.Add($"caller {caller}, '{requests[i].Query}': {actual} != {expected[i]}");
                }
            }
        })));

        Assert.Empty(mismatches);
        Assert.True(firstStage.Hits > 0, "the first-stage query cache was never hit");
    }

    /// <summary>Yields before embedding, so concurrent calls overlap the way real model runs do.</summary>
    private sealed class SlowGenerator(IEmbeddingGenerator<string, Embedding<float>> inner)
        : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
    {
        public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
            IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            await Task.Delay(1, cancellationToken);
            return await base.GenerateAsync(values, options, cancellationToken);
        }
    }
}
