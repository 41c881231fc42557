using System.Linq.Expressions;
using SkRerank.VectorStore;

namespace SkRerank.Tests.VectorStore;

/// <summary>
/// The payload index must follow every write: a replaced value leaves its old posting list, deleted records leave
/// theirs, and a reused row carries only its new record's values. Checked through filters the index answers alone.
/// </summary>
public class PayloadIndexMaintenanceTests
{
    private static IEnumerable<Expression<Func<Item, bool>>> IndexOnlyFilters()
    {
        for (var bucket = 0; bucket < 7; bucket++)
        {
            var b = bucket;
            yield return r => r.Bucket == b;
        }
        yield return r => r.Category == "alpha";
        yield return r => r.Category == null;
        yield return r => !r.Active;
        yield return r => r.Rank == null;
        yield return r => r.Weight == 0.0;
        yield return r => r.Tags!.Contains("red");
        yield return r => r.Labels.Contains(null);
        yield return r => r.Bucket == 2 || r.Labels.Contains("x");
    }

    [Fact]
    public async Task Upserting_a_changed_value_moves_the_record_to_the_new_value()
    {
        var items = Item.Create(40, seed: 1);
        var (collection, _) = await IndexedFilterTests.CreateAsync(items);
        var moved = items[10];
        var from = moved.Bucket;
        var to = (from + 1) % 7;

        moved.Bucket = to;
        moved.Tags = ["only-here"];
        await collection.UpsertAsync(moved);

        Assert.DoesNotContain(10, await collection.GetAsync(r => r.Bucket == from, 100).Select(r => r.Id).ToListAsync());
        Assert.Contains(10, await collection.GetAsync(r => r.Bucket == to, 100).Select(r => r.Id).ToListAsync());
        Assert.Equal([10], await collection.GetAsync(r => r.Tags!.Contains("only-here"), 100).Select(r => r.Id).ToListAsync());
    }

    [Fact]
    public async Task Deleted_records_and_reused_rows_leave_no_stale_entries()
    {
        var items = Item.Create(40, seed: 2);
        var (collection, storage) = await IndexedFilterTests.CreateAsync(items);
        var deleted = items[5];

        await collection.DeleteAsync(deleted.Id);
        Assert.DoesNotContain(deleted.Id, await collection.GetAsync(r => r.Bucket == deleted.Bucket, 100).Select(r => r.Id).ToListAsync());

        // The next new record takes the freed row; it must show up under its own values only.
        var newcomer = Item.Create(1, seed: 3, firstId: 1000)[0];
        newcomer.Bucket = (deleted.Bucket + 3) % 7;
        await collection.UpsertAsync(newcomer);
        var reused = storage.Read(reader => reader.TryGetRow(newcomer.Id, out var row) && row == 5);
        Assert.True(reused, "the new record did not reuse the freed row");

        Assert.DoesNotContain(newcomer.Id, await collection.GetAsync(r => r.Bucket == deleted.Bucket, 100).Select(r => r.Id).ToListAsync());
        Assert.Contains(newcomer.Id, await collection.GetAsync(r => r.Bucket == newcomer.Bucket, 100).Select(r => r.Id).ToListAsync());
    }

    [Fact]
    public async Task A_random_sequence_of_batched_writes_keeps_every_posting_list_exact()
    {
        var random = new Random(4);
        var model = new Dictionary<int, Item>();
        var (collection, storage) = await IndexedFilterTests.CreateAsync([]);
        var nextId = 0;

        for (var round = 0; round < 40; round++)
        {
            // Small batches change lists one row at a time; large ones (more than 16 changes to a list) merge.
            var size = random.Next(3) == 0 ? random.Next(50, 200) : random.Next(1, 6);
            switch (random.Next(3))
            {
                case 0:
                    var added = Item.Create(size, seed: round, firstId: nextId);
                    nextId += size;
                    await collection.UpsertAsync(added);
                    foreach (var item in added) model[item.Id] = item;
                    break;
                case 1 when model.Count > 0:
                    // Replace existing records with new values (same keys).
                    var keys = model.Keys.OrderBy(_ => random.Next()).Take(size).ToList();
                    var replacements = Item.Create(keys.Count, seed: 1000 + round).Select((item, i) => { item.Id = keys[i]; return item; }).ToList();
                    await collection.UpsertAsync(replacements);
                    foreach (var item in replacements) model[item.Id] = item;
                    break;
                default:
                    var doomed = model.Keys.OrderBy(_ => random.Next()).Take(size).ToList();
                    await collection.DeleteAsync(doomed);
                    foreach (var key in doomed) model.Remove(key);
                    break;
            }

            foreach (var filter in IndexOnlyFilters())
            {
                Assert.Null(IndexedFilterTests.PlanOf(storage, filter).Predicate);
                var expected = model.Values.Where(filter.Compile()).Select(i => i.Id).Order().ToList();
                var actual = await collection.GetAsync(filter, int.MaxValue).Select(i => i.Id).ToListAsync();
                Assert.Equal(expected, actual.Order());
            }
        }
    }
}
