using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;
using SkRerank.Movies;
using SkRerank.VectorStore;

namespace SkRerank.Tests.VectorStore;

public class EmbeddingGenerationTests
{
    private const int Dimensions = 64;

    private static Movie[] Movies() =>
    [
        new() { Id = 1, Title = "Heat", Overview = "bank robbery crew in los angeles" },
        new() { Id = 2, Title = "Finding Nemo", Overview = "a clownfish searches the ocean for his son" },
        new() { Id = 3, Title = "Alien", Overview = "a crew in space meets a deadly creature" },
    ];

    private static async Task<InMemoryVectorStoreCollection<int, Movie>> CollectionAsync(InMemoryVectorStore store, IEmbeddingGenerator? definitionGenerator = null)
    {
        var collection = store.GetCollection<int, Movie>("movies", MovieCollectionDefinition.Create(Dimensions, definitionGenerator));
        await collection.EnsureCollectionExistsAsync();
        var movies = Movies();
        foreach (var movie in movies) movie.Embedding = HashedBagOfWordsEmbeddingGenerator.Embed(movie.Overview, Dimensions);
        await collection.UpsertAsync(movies);
        return collection;
    }

    [Fact]
    public async Task A_string_search_value_is_embedded_by_the_stores_generator()
    {
        var generator = new HashedBagOfWordsEmbeddingGenerator(Dimensions);
        var collection = await CollectionAsync(new InMemoryVectorStore(new InMemoryVectorStoreOptions { EmbeddingGenerator = generator }));

        var results = await collection.SearchAsync("clownfish ocean", 3).ToListAsync();

        Assert.Equal(2, results[0].Record.Id);
        Assert.Equal(1, generator.Calls);
    }

    [Fact]
    public async Task The_definitions_generator_wins_over_the_stores()
    {
        var storeGenerator = new HashedBagOfWordsEmbeddingGenerator(Dimensions);
        var definitionGenerator = new HashedBagOfWordsEmbeddingGenerator(Dimensions);
        var collection = await CollectionAsync(new InMemoryVectorStore(new InMemoryVectorStoreOptions { EmbeddingGenerator = storeGenerator }), definitionGenerator);

        var top = await collection.SearchAsync("crew in space", 1).SingleAsync();

        Assert.Equal(3, top.Record.Id);
        Assert.Equal(1, definitionGenerator.Calls);
        Assert.Equal(0, storeGenerator.Calls);
    }

    [Fact]
    public async Task A_vector_propertys_own_generator_wins_over_the_collection_options()
    {
        var optionsGenerator = new HashedBagOfWordsEmbeddingGenerator(Dimensions);
        var propertyGenerator = new HashedBagOfWordsEmbeddingGenerator(Dimensions);
        var definition = MovieCollectionDefinition.Create(Dimensions);
        ((VectorStoreVectorProperty)definition.Properties.Single(p => p.Name == nameof(Movie.Embedding))).EmbeddingGenerator = propertyGenerator;
        var collection = new InMemoryVectorStoreCollection<int, Movie>("movies", new InMemoryCollectionOptions { Definition = definition, EmbeddingGenerator = optionsGenerator });
        await collection.EnsureCollectionExistsAsync();

        await collection.SearchAsync("anything", 1).ToListAsync();

        Assert.Equal(1, propertyGenerator.Calls);
        Assert.Equal(0, optionsGenerator.Calls);
    }

    [Fact]
    public async Task A_string_search_value_without_any_generator_is_refused_with_a_clear_message()
    {
        var collection = await CollectionAsync(new InMemoryVectorStore());

        var error = await Assert.ThrowsAsync<NotSupportedException>(async () => await collection.SearchAsync("clownfish", 1).ToListAsync());

        Assert.Contains("String", error.Message);
        Assert.Contains("IEmbeddingGenerator", error.Message);
    }

    [Fact]
    public async Task A_search_value_the_generator_cannot_take_is_refused()
    {
        var collection = await CollectionAsync(new InMemoryVectorStore(new InMemoryVectorStoreOptions { EmbeddingGenerator = new HashedBagOfWordsEmbeddingGenerator(Dimensions) }));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await collection.SearchAsync(42, 1).ToListAsync());

        Assert.Contains("Int32", error.Message);
    }

    [Fact]
    public async Task A_search_vector_of_the_wrong_dimension_is_refused()
    {
        var collection = await CollectionAsync(new InMemoryVectorStore());

        var error = await Assert.ThrowsAsync<ArgumentException>(async () => await collection.SearchAsync(new float[Dimensions + 1], 1).ToListAsync());

        Assert.Contains($"{Dimensions + 1} dimensions", error.Message);
        Assert.Contains($"has {Dimensions}", error.Message);
    }

    [Fact]
    public async Task A_generator_producing_the_wrong_dimension_is_refused()
    {
        var store = new InMemoryVectorStore(new InMemoryVectorStoreOptions { EmbeddingGenerator = new HashedBagOfWordsEmbeddingGenerator(Dimensions / 2) });
        var collection = await CollectionAsync(store);

        await Assert.ThrowsAsync<ArgumentException>(async () => await collection.SearchAsync("clownfish", 1).ToListAsync());
    }

    [Fact]
    public async Task Query_embedding_generators_from_the_project_plug_in_through_the_definition()
    {
        var inner = new HashedBagOfWordsEmbeddingGenerator(Dimensions);
        var collection = await CollectionAsync(new InMemoryVectorStore(), new global::SkRerank.Embeddings.QueryEmbeddingGenerator(inner));

        var top = await collection.SearchAsync("bank robbery", 1).SingleAsync();

        Assert.Equal(1, top.Record.Id);
        Assert.Equal(1, inner.Calls);
    }
}
