using Microsoft.Extensions.VectorData;
using SkRerank.Movies;
using SkRerank.VectorStore;

namespace SkRerank.Tests.VectorStore;

public class CollectionLifecycleTests
{
    private static VectorStoreCollectionDefinition Definition => MovieCollectionDefinition.Create(SampleMovies.Dimensions);

    [Fact]
    public async Task A_collection_exists_only_between_ensure_exists_and_ensure_deleted()
    {
        var store = new InMemoryVectorStore();
        var collection = store.GetCollection<int, Movie>("movies", Definition);

        Assert.False(await collection.CollectionExistsAsync());
        await collection.EnsureCollectionExistsAsync();
        await collection.EnsureCollectionExistsAsync(); // idempotent
        Assert.True(await collection.CollectionExistsAsync());
        Assert.True(await store.CollectionExistsAsync("movies"));

        await collection.EnsureCollectionDeletedAsync();
        Assert.False(await collection.CollectionExistsAsync());
        await collection.EnsureCollectionDeletedAsync(); // idempotent
    }

    [Fact]
    public async Task Every_operation_on_a_collection_that_does_not_exist_throws_a_vector_store_exception()
    {
        var collection = new InMemoryVectorStore().GetCollection<int, Movie>("missing", Definition);

        var upsert = await Assert.ThrowsAsync<VectorStoreException>(() => collection.UpsertAsync(SampleMovies.Create()[0]));
        await Assert.ThrowsAsync<VectorStoreException>(() => collection.GetAsync(1));
        await Assert.ThrowsAsync<VectorStoreException>(() => collection.DeleteAsync(1));
        await Assert.ThrowsAsync<VectorStoreException>(async () => await collection.SearchAsync(new float[4], 1).ToListAsync());
        await Assert.ThrowsAsync<VectorStoreException>(async () => await collection.GetAsync(m => true, 1).ToListAsync());

        Assert.Equal("missing", upsert.CollectionName);
        Assert.Equal("skrerank.inmemory", upsert.VectorStoreSystemName);
        Assert.False(await collection.CollectionExistsAsync()); // upsert did not create it
    }

    [Fact]
    public async Task Deleting_a_collection_drops_its_records_and_recreating_it_starts_empty()
    {
        var collection = await SampleMovies.CollectionAsync();

        await collection.EnsureCollectionDeletedAsync();
        await Assert.ThrowsAsync<VectorStoreException>(() => collection.GetAsync(1));
        await collection.EnsureCollectionExistsAsync();

        Assert.Null(await collection.GetAsync(1));
    }

    [Fact]
    public async Task Collections_taken_from_one_store_under_one_name_share_their_records()
    {
        var store = new InMemoryVectorStore();
        await SampleMovies.CollectionAsync(store: store);

        var other = store.GetCollection<int, Movie>("movies", Definition);

        Assert.Equal("Heat", (await other.GetAsync(1))!.Title);
    }

    [Fact]
    public async Task A_name_holds_one_record_type()
    {
        var store = new InMemoryVectorStore();
        await SampleMovies.CollectionAsync(store: store);

        Assert.Throws<InvalidOperationException>(() => store.GetCollection<string, Note>("movies"));
    }

    [Fact]
    public async Task A_collection_object_with_another_layout_cannot_use_an_existing_collection()
    {
        var store = new InMemoryVectorStore();
        await SampleMovies.CollectionAsync(store: store);
        var eightDimensional = store.GetCollection<int, Movie>("movies", MovieCollectionDefinition.Create(8));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => eightDimensional.GetAsync(1));
        Assert.Contains("another record layout", error.Message);
    }

    [Fact]
    public void Dictionary_records_must_go_through_the_dynamic_collection()
    {
        Assert.Throws<ArgumentException>(() => new InMemoryVectorStore().GetCollection<object, Dictionary<string, object?>>("x", Definition));
    }

    [Fact]
    public async Task The_store_lists_its_collections()
    {
        var store = new InMemoryVectorStore();
        await store.GetCollection<int, Movie>("b-movies", Definition).EnsureCollectionExistsAsync();
        await store.GetCollection<string, Note>("notes").EnsureCollectionExistsAsync();
        await store.GetCollection<int, Movie>("never-created", Definition).CollectionExistsAsync();

        Assert.Equal(["b-movies", "notes"], await store.ListCollectionNamesAsync().ToListAsync());

        await store.EnsureCollectionDeletedAsync("notes");
        Assert.Equal(["b-movies"], await store.ListCollectionNamesAsync().ToListAsync());
        Assert.False(await store.CollectionExistsAsync("notes"));
    }

    [Fact]
    public async Task A_standalone_collection_keeps_its_own_storage()
    {
        var options = new InMemoryCollectionOptions { Definition = Definition };
        var first = new InMemoryVectorStoreCollection<int, Movie>("movies", options);
        var second = new InMemoryVectorStoreCollection<int, Movie>("movies", options);
        await first.EnsureCollectionExistsAsync();

        Assert.False(await second.CollectionExistsAsync());
    }

    [Fact]
    public void Collections_and_stores_describe_themselves_through_get_service()
    {
        var store = new InMemoryVectorStore();
        var collection = store.GetCollection<int, Movie>("movies", Definition);

        var collectionMetadata = (VectorStoreCollectionMetadata?)collection.GetService(typeof(VectorStoreCollectionMetadata));
        var storeMetadata = (VectorStoreMetadata?)store.GetService(typeof(VectorStoreMetadata));

        Assert.Equal("skrerank.inmemory", collectionMetadata!.VectorStoreSystemName);
        Assert.Equal("movies", collectionMetadata.CollectionName);
        Assert.Equal("skrerank.inmemory", storeMetadata!.VectorStoreSystemName);
        Assert.Same(collection, collection.GetService(typeof(IKeywordHybridSearchable<Movie>)));
        Assert.Same(store, store.GetService(typeof(InMemoryVectorStore)));
        Assert.Null(collection.GetService(typeof(VectorStoreCollectionMetadata), serviceKey: "other"));
        Assert.Null(collection.GetService(typeof(string)));
    }

    [Fact]
    public void An_unknown_distance_function_is_rejected_when_the_collection_is_created()
    {
        var error = Assert.Throws<NotSupportedException>(() =>
            new InMemoryVectorStore().GetCollection<int, Movie>("movies", MovieCollectionDefinition.Create(4, distanceFunction: "CosineMagic")));
        Assert.Contains("CosineMagic", error.Message);
    }

    [Fact]
    public void An_unsupported_vector_type_is_rejected_when_the_collection_is_created()
    {
        var definition = new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty("Id", typeof(string)),
                new VectorStoreVectorProperty("Vector", typeof(double[]), 3),
            ],
        };

        var error = Assert.Throws<NotSupportedException>(() => new InMemoryVectorStore().GetDynamicCollection("x", definition));
        Assert.Contains("double[]", error.Message.Replace("Double[]", "double[]"));
    }
}
