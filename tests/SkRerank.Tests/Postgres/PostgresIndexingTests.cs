using SkRerank.Indexing;
using SkRerank.Movies;
using SkRerank.Postgres;
using SkRerank.Tests.Support;
using SkRerank.Tests.VectorStore;

namespace SkRerank.Tests.Postgres;

/// <summary>Indexing into a persistent store embeds only what it does not hold yet, and only for the model it holds.</summary>
public sealed class PostgresIndexingTests
{
    private static PostgresCollection<int, Movie> Collection(string name, string model, int dimensions = 32) =>
        new(TestStores.DataSource, name, ownsDataSource: false, new PostgresCollectionOptions
        {
            Definition = MovieCollectionDefinition.Create(dimensions),
            EmbeddingModelId = model,
        });

    [Fact]
    public async Task Re_indexing_from_a_new_process_embeds_only_new_or_changed_movies()
    {
        var movies = await MovieSubset.LoadAsync(40);
        var name = PgliteServer.UniqueName("movies");
        var first = new HashingEmbeddingGenerator(32, "hash-32");
        await new MovieIndexer(Collection(name, "hash-32"), first, new MovieCatalog()).IndexAsync(movies);

        // Another process: a new collection object and generator, no disk cache; one movie changed, one added.
        var edited = movies.Select(m => m.Id == 3 ? new Movie { Id = 3, Title = m.Title, Overview = m.Overview + " Revised.", Director = m.Director, Genres = m.Genres } : m)
            .Append(new Movie { Id = 1000, Title = "New", Overview = "A new movie." }).ToList();
        var second = new HashingEmbeddingGenerator(32, "hash-32");
        var report = await new MovieIndexer(Collection(name, "hash-32"), second, new MovieCatalog()).IndexAsync(edited);

        Assert.Equal(40, first.Inputs);
        Assert.Equal(2, second.Inputs);
        Assert.Equal(39, report.FromStore);
        var stored = await Collection(name, "hash-32").GetAsync(3, new Microsoft.Extensions.VectorData.RecordRetrievalOptions { IncludeVectors = true });
        Assert.Equal(HashingEmbeddingGenerator.Embed(edited[3].ToEmbeddingText(), 32), stored!.Embedding!.Value.ToArray());
    }

    [Fact]
    public async Task A_table_without_a_recorded_model_is_embedded_again()
    {
        var movies = await MovieSubset.LoadAsync(10);
        var name = PgliteServer.UniqueName("movies");
        var unrecorded = new PostgresCollection<int, Movie>(TestStores.DataSource, name, ownsDataSource: false,
            new PostgresCollectionOptions { Definition = MovieCollectionDefinition.Create(32) });
        await new MovieIndexer(unrecorded, new HashingEmbeddingGenerator(32, "hash-32"), new MovieCatalog()).IndexAsync(movies);

        var generator = new HashingEmbeddingGenerator(32, "hash-32");
        await new MovieIndexer(Collection(name, "hash-32"), generator, new MovieCatalog()).IndexAsync(movies);

        Assert.Equal(10, generator.Inputs);
    }
}
