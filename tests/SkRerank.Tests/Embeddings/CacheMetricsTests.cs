using Microsoft.Extensions.AI;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using SkRerank.Embeddings;
using SkRerank.Telemetry;
using SkRerank.Tests.Support;

namespace SkRerank.Tests.Embeddings;

public sealed class CacheMetricsTests
{
    [Fact]
    public async Task Disk_and_query_cache_lookups_are_counted_as_hits_and_misses_per_cache()
    {
        var metrics = new List<Metric>();
        using var meters = Sdk.CreateMeterProviderBuilder().AddMeter(SkRerankTelemetry.MeterName).AddInMemoryExporter(metrics).Build();
        using var temp = new TempDirectory();
        // Texts no other test embeds: the meter is process-wide and tests run side by side.
        string[] texts = [$"metrics {Guid.NewGuid()}", $"metrics {Guid.NewGuid()}", $"metrics {Guid.NewGuid()}"];
        using var disk = new DiskCachingEmbeddingGenerator(new HashingEmbeddingGenerator(), temp.Path);
        using var query = new QueryEmbeddingCache(disk);

        await disk.GenerateAsync(texts); // 3 disk misses
        await disk.GenerateAsync(texts); // 3 disk hits
        var asQuery = new EmbeddingGenerationOptions().WithInputType(EmbeddingInputType.Query);
        await query.GenerateAsync([texts[0]], asQuery); // 1 query miss
        await query.GenerateAsync([texts[0]], asQuery); // 1 query hit
        meters.ForceFlush();

        Assert.True(Sum(metrics, SkRerankTelemetry.Instruments.CacheMisses, "disk") >= 3);
        Assert.True(Sum(metrics, SkRerankTelemetry.Instruments.CacheHits, "disk") >= 3);
        Assert.True(Sum(metrics, SkRerankTelemetry.Instruments.CacheMisses, "query") >= 1);
        Assert.True(Sum(metrics, SkRerankTelemetry.Instruments.CacheHits, "query") >= 1);
    }

    private static long Sum(IEnumerable<Metric> metrics, string name, string cache)
    {
        long total = 0;
        foreach (var metric in metrics.Where(m => m.Name == name))
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                foreach (var tag in point.Tags)
                {
                    if (tag.Key == "skrerank.cache" && Equals(tag.Value, cache)) total += point.GetSumLong();
                }
            }
        }
        return total;
    }
}
