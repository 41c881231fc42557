namespace SkRerank.Benchmarks;

/// <summary>Finds the team's shared movies.json beside the clone (../shared/datasets), or the clone's own datasets folder.</summary>
internal static class BenchmarkData
{
    public static string MoviesJson { get; } = Find();

    private static string Find()
    {
        // BenchmarkDotNet runs each benchmark in a generated project below this one's output folder: walk up from there.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in new[] { Path.Combine(dir.FullName, "datasets", "movies.json"), Path.Combine(dir.FullName, "..", "shared", "datasets", "movies.json") })
            {
                if (File.Exists(candidate)) return Path.GetFullPath(candidate);
            }
        }
        throw new FileNotFoundException("movies.json not found in datasets/ or ../shared/datasets/ above " + AppContext.BaseDirectory);
    }
}
