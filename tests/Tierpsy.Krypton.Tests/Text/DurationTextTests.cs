using Tierpsy.Krypton.Targets;
using Tierpsy.Krypton.Text;

namespace Tierpsy.Krypton.Tests.Text;

public class DurationTextTests
{
    [Theory]
    [InlineData("30:00:00", 30 * 3600)]
    [InlineData("1-06:00:00", 30 * 3600)]
    [InlineData("1-06:00", 30 * 3600)]
    [InlineData("90m", 90 * 60)]
    [InlineData("1h30m", 90 * 60)]
    [InlineData("45s", 45)]
    [InlineData("2d", 2 * 86400)]
    [InlineData("1.5h", 90 * 60)]
    public void Parses_clock_and_unit_forms(string text, int seconds)
    {
        Assert.True(DurationText.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("10:75:00")]
    [InlineData("5 hours")]
    [InlineData("1:30")]
    public void Rejects_anything_else(string text) => Assert.False(DurationText.TryParse(text, out _));

    [Fact]
    public void Formats_with_hours_beyond_a_day_as_schedulers_expect() =>
        Assert.Equal("30:00:00", DurationText.Format(TimeSpan.FromHours(30)));
}
