using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catalog.Store.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class FollowersAndDashboards : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "dashboard",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "TEXT", nullable: false),
                    ActivityStreamLastViewed = table.Column<DateTime>(type: "TEXT", nullable: false),
                    EmailLastSent = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_dashboard", x => x.UserId);
                    table.ForeignKey(
                        name: "FK_dashboard_user_UserId",
                        column: x => x.UserId,
                        principalTable: "user",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "follower",
                columns: table => new
                {
                    FollowerId = table.Column<string>(type: "TEXT", nullable: false),
                    ObjectType = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ObjectId = table.Column<string>(type: "TEXT", nullable: false),
                    Datetime = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_follower", x => new { x.FollowerId, x.ObjectType, x.ObjectId });
                    table.ForeignKey(
                        name: "FK_follower_user_FollowerId",
                        column: x => x.FollowerId,
                        principalTable: "user",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_follower_ObjectType_ObjectId",
                table: "follower",
                columns: new[] { "ObjectType", "ObjectId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "dashboard");

            migrationBuilder.DropTable(
                name: "follower");
        }
    }
}
