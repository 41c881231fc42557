namespace SkRerank.Tests.Support;

/// <summary>Finds the team's shared data beside the clone (../shared), as the program itself does.</summary>
public static class SharedData
{
    public static string? MoviesJson => Find(System.IO.Path.Combine("shared", "datasets", "movies.json"));

    public static string? DevQrels => Find(System.IO.Path.Combine("shared", "eval", "dev.jsonl"));

    private static string? Find(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "..", relative);
            if (File.Exists(candidate)) return System.IO.Path.GetFullPath(candidate);
            var inside = System.IO.Path.Combine(dir.FullName, "datasets", "movies.json");
            if (relative.EndsWith("movies.json", StringComparison.Ordinal) && File.Exists(inside)) return inside;
        }
        return null;
    }
}
