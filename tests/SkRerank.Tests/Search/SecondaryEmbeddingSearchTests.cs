using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.VectorData;
using SkRerank.Embeddings;
using SkRerank.Indexing;
using SkRerank.Movies;
using SkRerank.Search;
using SkRerank.Tests.Support;
using SkRerank.VectorStore;

namespace SkRerank.Tests.Search;

/// <summary>
/// A second embedding model in the first stage: the indexer stores its vectors in <see cref="Movie.SecondaryEmbedding"/>,
/// and the search fuses its ranking with the first model's, so a movie only the second model finds reaches the candidates.
/// </summary>
public sealed class SecondaryEmbeddingSearchTests
{
    private const string Query = "caped crusader";

    [Fact]
    public async Task A_movie_only_the_second_model_finds_reaches_the_candidates()
    {
        using var withSecond = await IndexAsync(secondary: true);
        using var withoutSecond = await IndexAsync(secondary: false);

        var fused = await withSecond.Search.SearchAsync(new MovieSearchRequest { Query = Query, Candidates = 2, TopN = 2, SkipReranking = true });
        var single = await withoutSecond.Search.SearchAsync(new MovieSearchRequest { Query = Query, Candidates = 2, TopN = 2, SkipReranking = true });

        // The hashing model shares no word of the query with "Batman & Robin"; the second model reads it as a match.
        Assert.DoesNotContain(single.Candidates, c => c.Movie.Id == 7);
        Assert.Contains(fused.Candidates, c => c.Movie.Id == 7);
    }

    [Fact]
    public async Task The_indexer_stores_the_second_models_vectors()
    {
        using var indexed = await IndexAsync(secondary: true);

        var stored = await indexed.Collection.GetAsync(7, new RecordRetrievalOptions { IncludeVectors = true });

        Assert.Equal(OneWordModel.Embed(stored!.ToEmbeddingText()), stored.SecondaryEmbedding!.Value.ToArray());
        Assert.Equal(128, stored.Embedding!.Value.Length);
    }

    [Fact]
    public async Task A_collection_that_cannot_store_the_second_vectors_is_named_at_indexing()
    {
        using var collection = new InMemoryVectorStoreCollection<int, Movie>("mine", new InMemoryCollectionOptions
        {
            Definition = MovieCollectionDefinition.Create(128),
        });
        var indexer = new MovieIndexer(collection, new HashingEmbeddingGenerator(128), new MovieCatalog()) { SecondaryEmbeddingGenerator = new OneWordModel() };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => indexer.IndexAsync(MovieSearchFixture.SampleMovies));

        Assert.Contains("'mine' does not store Movie.SecondaryEmbedding", error.Message);
        Assert.Contains("one-word", error.Message);
    }

    [Fact]
    public void Fusing_rankings_needs_a_record_key()
    {
        using var collection = new InMemoryVectorStoreCollection<int, Movie>("movies", new InMemoryCollectionOptions
        {
            Definition = MovieCollectionDefinition.Create(128, 2),
        });
        var options = new TwoStageSearchOptions<Movie>();
        options.AdditionalVectors.Add(new FirstStageVector<Movie>(new OneWordModel(), m => m.SecondaryEmbedding));

        var error = Assert.Throws<ArgumentException>(() => new TwoStageSearch<int, Movie>(collection, new HashingEmbeddingGenerator(128), null, options));

        Assert.Contains(nameof(TwoStageSearchOptions<Movie>.RecordKey), error.Message);
    }

    private static async Task<Indexed> IndexAsync(bool secondary)
    {
        var first = new HashingEmbeddingGenerator(128);
        OneWordModel? second = secondary ? new OneWordModel() : null;
        var collection = new InMemoryVectorStoreCollection<int, Movie>("movies", new InMemoryCollectionOptions
        {
            Definition = MovieCollectionDefinition.Create(128, secondary ? 2 : null),
        });
        var catalog = new MovieCatalog();
        await new MovieIndexer(collection, first, catalog) { SecondaryEmbeddingGenerator = second }.IndexAsync(MovieSearchFixture.SampleMovies);
        var search = new MovieSearchService(collection, first, null, catalog,
            Options.Create(new MovieSearchOptions { FirstStage = FirstStageMode.Vector }), secondaryEmbeddingGenerator: second);
        return new Indexed(collection, search);
    }

    private sealed record Indexed(InMemoryVectorStoreCollection<int, Movie> Collection, MovieSearchService Search) : IDisposable
    {
        public void Dispose() => Collection.Dispose();
    }

    /// <summary>A 2-d stand-in for a second model that knows one thing: Robin and the caped crusader are the same topic.</summary>
    private sealed class OneWordModel : IEmbeddingGenerator<string, Embedding<float>>
    {
        public static float[] Embed(string text) =>
            text.Contains("Robin", StringComparison.Ordinal) || text.Contains("caped", StringComparison.Ordinal) ? [1, 0] : [0, 1];

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(v => new Embedding<float>(Embed(v)))));

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceType == typeof(EmbeddingGeneratorMetadata) ? new EmbeddingGeneratorMetadata("test", null, "one-word", 2)
            : serviceType.IsInstanceOfType(this) ? this : null;

        public void Dispose() { }
    }
}
