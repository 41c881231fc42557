using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;
using SkRerank.VectorStore;

namespace SkRerank.Tests.VectorStore;

public class NoteCollectionTests
{
    private static async Task<InMemoryVectorStoreCollection<string, Note>> NotesAsync()
    {
        var collection = new InMemoryVectorStore().GetCollection<string, Note>("notes");
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(
        [
            new Note { Id = "n1", Text = "buy milk", Tags = ["home", "errand"], Priority = 2, Vector = [1, 0, 0] },
            new Note { Id = "n2", Text = "fix the build", Tags = ["work"], Priority = 1, Vector = [0, 1, 0] },
            new Note { Id = "n3", Text = "call mum", Tags = ["home"], Priority = 3, Vector = [0, 0, 1] },
        ]);
        return collection;
    }

    [Fact]
    public async Task A_note_round_trips_with_its_string_key_array_tags_and_float_array_vector()
    {
        var collection = await NotesAsync();

        var note = await collection.GetAsync("n1", new RecordRetrievalOptions { IncludeVectors = true });

        Assert.Equal("buy milk", note!.Text);
        Assert.Equal(["home", "errand"], note.Tags);
        Assert.Equal(2, note.Priority);
        Assert.Equal([1f, 0, 0], note.Vector!);
    }

    [Fact]
    public async Task Without_vectors_the_float_array_comes_back_null()
    {
        var collection = await NotesAsync();

        var notes = await collection.GetAsync(["n1", "n2"]).ToListAsync();

        Assert.All(notes, n => Assert.Null(n.Vector));
    }

    [Fact]
    public async Task Changing_the_callers_arrays_after_upsert_does_not_reach_the_store()
    {
        var collection = await NotesAsync();
        var note = new Note { Id = "n4", Tags = ["a"], Vector = [0, 1, 1] };
        await collection.UpsertAsync(note);

        note.Tags[0] = "changed";
        note.Vector[0] = 5;
        var returned = await collection.GetAsync("n4", new RecordRetrievalOptions { IncludeVectors = true });
        returned!.Vector![1] = 7;

        var stored = await collection.GetAsync("n4", new RecordRetrievalOptions { IncludeVectors = true });
        Assert.Equal(["a"], stored!.Tags);
        Assert.Equal([0f, 1, 1], stored.Vector!);
    }

    [Fact]
    public async Task Search_filters_on_an_array_tag_and_a_comparison()
    {
        var collection = await NotesAsync();

        var results = await collection.SearchAsync(new float[] { 1, 1, 1 }, 10,
            new VectorSearchOptions<Note> { Filter = n => n.Tags.Contains("home") && n.Priority >= 3 }).ToListAsync();

        Assert.Equal(["n3"], results.Select(r => r.Record.Id));
    }

    [Fact]
    public async Task Search_accepts_float_arrays_read_only_memory_and_embeddings_alike()
    {
        var collection = await NotesAsync();

        var fromArray = await collection.SearchAsync(new float[] { 0, 1, 0.1f }, 1).SingleAsync();
        var fromMemory = await collection.SearchAsync(new ReadOnlyMemory<float>([0, 1, 0.1f]), 1).SingleAsync();
        var fromEmbedding = await collection.SearchAsync(new Embedding<float>(new float[] { 0, 1, 0.1f }), 1).SingleAsync();

        Assert.Equal("n2", fromArray.Record.Id);
        Assert.Equal("n2", fromMemory.Record.Id);
        Assert.Equal("n2", fromEmbedding.Record.Id);
        Assert.Equal(fromArray.Score, fromEmbedding.Score);
    }

    [Fact]
    public async Task Upserting_a_note_without_a_key_is_rejected()
    {
        var collection = await NotesAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => collection.UpsertAsync(new Note { Id = null!, Vector = [1, 0, 0] }));
        Assert.Contains("no key", error.Message);
    }

    [Fact]
    public async Task With_two_vector_properties_the_search_must_name_one()
    {
        var collection = new InMemoryVectorStore().GetCollection<Guid, TwoVectors>("two");
        await collection.EnsureCollectionExistsAsync();
        var close = new TwoVectors { Plain = new float[] { 1, 0 }, Wrapped = new Embedding<float>(new float[] { 10, 10 }) };
        var far = new TwoVectors { Plain = new float[] { 0, 1 }, Wrapped = new Embedding<float>(new float[] { 0, 0 }) };
        await collection.UpsertAsync([close, far]);

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await collection.SearchAsync(new float[] { 1, 0 }, 1).ToListAsync());
        var byPlain = await collection.SearchAsync(new float[] { 1, 0 }, 1, new VectorSearchOptions<TwoVectors> { VectorProperty = r => r.Plain }).SingleAsync();
        var byWrapped = await collection.SearchAsync(new float[] { 1, 0 }, 1, new VectorSearchOptions<TwoVectors> { VectorProperty = r => r.Wrapped, IncludeVectors = true }).SingleAsync();

        Assert.Equal(close.Id, byPlain.Record.Id);
        Assert.Equal(far.Id, byWrapped.Record.Id); // Euclidean: [0, 0] is 1 away, [10, 10] is ~13.5 away
        Assert.Equal([0f, 0], byWrapped.Record.Wrapped!.Vector.ToArray());
        Assert.Equal([0f, 1], byWrapped.Record.Plain.ToArray());
    }

    [Fact]
    public async Task Empty_guid_keys_are_generated_on_upsert_and_written_back()
    {
        var collection = new InMemoryVectorStore().GetCollection<Guid, TwoVectors>("two");
        await collection.EnsureCollectionExistsAsync();
        var record = new TwoVectors { Plain = new float[] { 1, 0 } };

        await collection.UpsertAsync(record);

        Assert.NotEqual(Guid.Empty, record.Id);
        var stored = await collection.GetAsync(record.Id);
        Assert.NotNull(stored);
        Assert.True(stored.Plain.IsEmpty); // vectors not requested: default ReadOnlyMemory
    }
}
