using Microsoft.Extensions.AI;
using SkRerank.Embeddings;
using SkRerank.Tests.Support;

namespace SkRerank.Tests.Embeddings;

/// <summary>Item 7 of #14: vectors are saved as batches complete, an interrupted run resumes, stale temp files go.</summary>
public class EmbeddingCheckpointTests
{
    private static readonly string[][] Batches = [["batman fights crime", "a love story"], ["space survival", "a heist"], ["pirates", "a ghost"]];

    [Fact]
    public async Task Batches_embedded_before_a_crash_are_kept_without_a_flush_and_the_next_run_resumes()
    {
        using var temp = new TempDirectory();
        var crashing = new HashingEmbeddingGenerator();
        var cache = new DiskCachingEmbeddingGenerator(crashing, temp.Path);
        await cache.GenerateAsync(Batches[0]);
        await cache.GenerateAsync(Batches[1]);
        // No FlushAsync and no Dispose: the process dies here.
        Assert.True(File.Exists(cache.JournalPath));
        Assert.False(File.Exists(cache.FilePath));

        var inner = new HashingEmbeddingGenerator();
        using var resumed = new DiskCachingEmbeddingGenerator(inner, temp.Path);
        Assert.Equal(4, resumed.Count);
        await resumed.GenerateAsync(Batches.SelectMany(b => b).ToList());
        Assert.Equal(2, inner.Inputs); // only the batch that never completed

        await resumed.FlushAsync();
        Assert.True(File.Exists(resumed.FilePath));
        Assert.False(File.Exists(resumed.JournalPath)); // folded into the cache file
        using var reloaded = new DiskCachingEmbeddingGenerator(new HashingEmbeddingGenerator(), temp.Path);
        Assert.Equal(6, reloaded.Count);
    }

    [Fact]
    public async Task A_torn_last_record_loses_only_that_batch()
    {
        using var temp = new TempDirectory();
        var cache = new DiskCachingEmbeddingGenerator(new HashingEmbeddingGenerator(), temp.Path);
        await cache.GenerateAsync(Batches[0]);
        await cache.GenerateAsync(Batches[1]);
        var length = new FileInfo(cache.JournalPath).Length;
        using (var journal = new FileStream(cache.JournalPath, FileMode.Open)) journal.SetLength(length - 10); // killed mid-append

        using var resumed = new DiskCachingEmbeddingGenerator(new HashingEmbeddingGenerator(), temp.Path);
        Assert.Equal(2, resumed.Count);
        var vectors = await resumed.GenerateAsync(Batches[0]);
        Assert.Equal(HashingEmbeddingGenerator.Embed(Batches[0][1], 64), vectors[1].Vector.ToArray());
    }

    [Fact]
    public async Task Temporary_files_of_a_dead_writer_are_deleted_on_start_and_a_live_ones_are_kept()
    {
        using var temp = new TempDirectory();
        var probe = new DiskCachingEmbeddingGenerator(new HashingEmbeddingGenerator(), temp.Path);
        var dead = probe.FilePath + ".2147483646.1.tmp"; // no such process
        var live = probe.FilePath + $".{Environment.ProcessId}.7.tmp";
        File.WriteAllText(dead, "half a file");
        File.WriteAllText(live, "being written");

        using var cache = new DiskCachingEmbeddingGenerator(new HashingEmbeddingGenerator(), temp.Path);
        await cache.GenerateAsync(Batches[0]);

        Assert.False(File.Exists(dead));
        Assert.True(File.Exists(live));
    }

    [Fact]
    public async Task A_cache_folder_that_cannot_be_written_degrades_to_memory()
    {
        using var temp = new TempDirectory();
        var blocker = temp.File("not-a-folder", "a file where the cache folder should be");
        var inner = new HashingEmbeddingGenerator();
        using var cache = new DiskCachingEmbeddingGenerator(inner, Path.Combine(blocker, "embeddings"));

        var vectors = await cache.GenerateAsync(Batches[0]);
        await cache.FlushAsync();
        var again = await cache.GenerateAsync(Batches[0]);

        Assert.True(cache.WritesFailed);
        Assert.Equal(vectors[0].Vector.ToArray(), again[0].Vector.ToArray());
        Assert.Equal(2, inner.Inputs); // still served from memory
        Assert.Equal(["not-a-folder"], Directory.GetFileSystemEntries(temp.Path).Select(Path.GetFileName));
    }
}
