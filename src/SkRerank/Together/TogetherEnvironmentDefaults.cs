using Microsoft.Extensions.Options;

namespace SkRerank.Together;

/// <summary>Fills what the application left unset in <see cref="TogetherOptions"/> from the registered <see cref="TogetherEnvironment"/>.</summary>
internal sealed class TogetherEnvironmentDefaults(TogetherEnvironment environment) : IPostConfigureOptions<TogetherOptions>
{
    public void PostConfigure(string? name, TogetherOptions options) => options.ApplyEnvironment(environment.GetVariable);
}
