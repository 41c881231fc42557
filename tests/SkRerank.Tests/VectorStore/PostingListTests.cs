using SkRerank.VectorStore;

namespace SkRerank.Tests.VectorStore;

public class PostingListTests
{
    [Theory]
    [InlineData(1, 3)]
    [InlineData(2, 40)]
    [InlineData(3, 400)]
    public void Any_sequence_of_adds_and_removes_ends_as_a_set_would(int seed, int batchSize)
    {
        // Batches of up to 16 changes are applied one by one, larger ones in one merge: both must agree with a set.
        var random = new Random(seed);
        var list = new PostingList();
        var expected = new SortedSet<int>();
        for (var batch = 0; batch < 50; batch++)
        {
            for (var i = 0; i < batchSize; i++)
            {
                var row = random.Next(1000);
                if (random.Next(2) == 0)
                {
                    list.Add(row);
                    expected.Add(row);
                }
                else
                {
                    list.Remove(row);
                    expected.Remove(row);
                }
            }
            list.Commit();
            Assert.Equal(expected, list.Rows.Span.ToArray());
        }
    }

    [Fact]
    public void The_last_change_of_a_row_in_a_batch_wins()
    {
        var list = new PostingList();
        foreach (var row in new[] { 1, 5, 9 }) list.Add(row);

        list.Remove(5);
        list.Add(5);
        list.Add(3);
        list.Remove(3);
        list.Commit();

        Assert.Equal([1, 5, 9], list.Rows.Span.ToArray());
    }

    [Fact]
    public void Set_operations_keep_rows_ascending_and_distinct()
    {
        var a = new RowSet([1, 3, 5, 7, 9], 5);
        var b = new RowSet([3, 4, 5, 10], 4);
        var large = new RowSet(Enumerable.Range(0, 1000).ToArray(), 1000);

        Assert.Equal([3, 5], RowSet.Intersect(a, b).Span.ToArray());
        Assert.Equal([1, 3, 4, 5, 7, 9, 10], RowSet.Union(a, b).Span.ToArray());
        Assert.Equal([1, 7, 9], RowSet.Except(a, b).Span.ToArray());
        Assert.Equal([3, 4, 5, 10], RowSet.Intersect(b, large).Span.ToArray());
        Assert.Equal(0, RowSet.Intersect(a, RowSet.Empty).Count);
    }
}
