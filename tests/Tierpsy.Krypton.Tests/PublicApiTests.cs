using PublicApiGenerator;
using Tierpsy.Krypton.Targets;
using Tierpsy.Krypton.TestSupport;

namespace Tierpsy.Krypton.Tests;

/// <summary>
/// The library's public API, as a build script and the tool see it, approved as text (as Bullseye does): a change to
/// it shows in review as a change of this file. Keep it small: what users do not need is internal.
/// </summary>
public class PublicApiTests
{
    [Fact]
    public void The_public_api_is_the_approved_one()
    {
        var api = typeof(BuildBase).Assembly.GeneratePublicApi(
            new ApiGeneratorOptions { ExcludeAttributes = ["System.Runtime.Versioning.TargetFrameworkAttribute"] }
        );

        Approvals.Verify(api);
    }
}
